/** The bundled sample photos (COCO val2017, in `public/samples`). */
export const SAMPLES: readonly { file: string; label: string }[] = [
  { file: 'samples/000000011197.jpg', label: 'street: cars, people, traffic light (COCO 11197)' },
  { file: 'samples/000000007816.jpg', label: 'motorcycle and people (COCO 7816)' },
  { file: 'samples/000000008532.jpg', label: 'person (COCO 8532)' },
];

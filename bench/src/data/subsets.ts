/**
 * The image subsets the accuracy tasks use in `--quick`, named by file so that the same images are picked from the
 * shared data and from the embedded sample (bench/fixtures/sample holds exactly the COCO ones; WIDER FACE may not be
 * redistributed, so its subset is only picked from ../shared or STRIATE_DATA). A full run uses every image.
 */

/** coco128-val: the first 8 images of `instances_val2017.json` (all 8 have a semantic mask for the person IoU). */
export const COCO_QUICK_FILES: readonly string[] = Object.freeze([
  '000000000139.jpg',
  '000000000285.jpg',
  '000000000632.jpg',
  '000000000724.jpg',
  '000000000776.jpg',
  '000000000785.jpg',
  '000000000802.jpg',
  '000000000872.jpg',
]);

/** widerface-val200: every 25th image of `wider_val200_gt.json` (8 images, 107 faces, 6 events). */
export const WIDER_QUICK_FILES: readonly string[] = Object.freeze([
  '0_Parade_Parade_0_194.jpg',
  '0_Parade_Parade_0_459.jpg',
  '2_Demonstration_Demonstrators_2_666.jpg',
  '2_Demonstration_Demonstration_Or_Protest_2_914.jpg',
  '2_Demonstration_Demonstration_Or_Protest_2_895.jpg',
  '3_Riot_Riot_3_488.jpg',
  '4_Dancing_Dancing_4_53.jpg',
  '7_Cheering_Cheering_7_408.jpg',
]);

/**
 * The items of `all` whose file name (`nameOf`) is in `files`, in their original order; all of them when `files` is
 * undefined. Throws when a named file is missing, so a quick run never silently evaluates fewer images.
 */
export function pickFiles<T>(
  all: readonly T[],
  nameOf: (item: T) => string,
  files: readonly string[] | undefined,
  what: string,
): T[] {
  if (files === undefined) return [...all];
  const wanted = new Set(files);
  const out = all.filter((x) => wanted.has(nameOf(x)));
  if (out.length !== wanted.size) {
    const have = new Set(out.map(nameOf));
    const missing = files.filter((f) => !have.has(f));
    throw new Error(
      `${what}: the quick subset names ${missing.length} image(s) not in the ground truth: ${missing.join(', ')}`,
    );
  }
  return out;
}

// The README's example, run by examples.test.ts so it cannot rot.
import {
  boxIou,
  Conv2d,
  Flatten,
  Linear,
  MaxPool2d,
  manualSeed,
  ReLU,
  referenceBackend,
  Sequential,
  tensor,
} from '@striate/core';

export async function quickstart() {
  manualSeed(0); // PyTorch's default initialisation, reproducible
  const net = new Sequential(
    new Conv2d(1, 6, 5),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(6 * 12 * 12, 10),
  );
  const graph = net.toGraph({ inputs: { input: ['N', 1, 28, 28] } }); // symbolic batch N
  using model = await referenceBackend.compile(graph);
  const { output } = await model.run({ input: tensor(new Float32Array(2 * 28 * 28), [2, 1, 28, 28]) });
  const iou = boxIou(Float32Array.of(0, 0, 10, 10), Float32Array.of(5, 5, 15, 15)); // [1*1], torchvision's box_iou
  return { keys: [...net.stateDict().keys()], params: net.numParameters(), shape: output!.shape, iou: iou[0] };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await quickstart());

import { referenceBackend, Tensor } from '@striate/core';
import { argmaxClasses, lraspp_mobilenet_v3_large, segmentationScores } from '@striate/segmentation';

const model = lraspp_mobilenet_v3_large({ numClasses: 21, seed: 0 }).eval(); // or skipInit + loadStateDict
console.log(model.numParameters()); // 3221538, torchvision's
const compiled = await referenceBackend.compile(model.toGraph({ inputs: { input: ['N', 3, 64, 64] } }));
const input = new Tensor('float32', [1, 3, 64, 64], new Float32Array(3 * 64 * 64).fill(0.5));
const { output } = await compiled.run({ input }); // [1, 21, 64, 64] logits
const classes = argmaxClasses(output!); // int32 [1, 64, 64]
const labels = classes.reshape([64, 64]);
console.log(segmentationScores(labels, labels, 21).pixelAccuracy); // 1
compiled.dispose();

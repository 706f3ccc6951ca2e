export { type AffineParams, affineMatrix, type Matrix2x3 } from './affine-matrix.js';
export { gaussianBlur, gaussianKernel1d } from './blur.js';
export { type BoxFilter, filterBoxes } from './box-filter.js';
export type { BoxRule } from './box-geometry.js';
export {
  adjustBrightness,
  adjustBrightnessContrast,
  adjustContrast,
  adjustHue,
  adjustSaturation,
  type BrightnessContrastAdjustOptions,
  type BrightnessContrastOptions,
  brightnessContrastAdjust,
  IMAGENET_PCA,
  pcaLighting,
  pcaOffsets,
  rgbToGrayscale,
  shiftChannels,
} from './color.js';
export { type ComposeOptions, compose, oneOf, randomApply, someOf } from './compose.js';
export {
  type AffineOptions,
  affine,
  crop,
  type GeometryOptions,
  horizontalFlip,
  type Interpolation,
  type PerspectiveOptions,
  perspective,
  type ResizeOptions,
  type RotateOptions,
  resize,
  resizedCrop,
  rotate,
  verticalFlip,
  type WarpOptions,
} from './geometric.js';
export { hsvGains, hsvToRgb, rgbToHsv } from './hsv.js';
export {
  type LetterboxOptions,
  type LetterboxParams,
  letterbox,
  letterboxInverseBoxes,
  letterboxParams,
} from './letterbox.js';
export { erase, gaussianNoise, gridDropout } from './noise.js';
export {
  assertImage,
  assertSample,
  type ImageU8,
  imageFromTensor,
  imageToTensor,
  makeImage,
  type Sample,
} from './sample.js';
export { normalize, toTensor } from './to-tensor.js';
export { augment, type Transform } from './transform.js';
export {
  Letterbox,
  RandomAffine,
  type RandomAffineOptions,
  RandomCrop,
  RandomHorizontalFlip,
  RandomPerspective,
  RandomResizedCrop,
  type RandomResizedCropOptions,
  RandomRotation,
  RandomVerticalFlip,
  Resize,
  resizedCropParams,
} from './transforms-geometric.js';
export {
  ChannelShift,
  ColorJitter,
  type ColorJitterOptions,
  GaussianBlur,
  GaussianNoise,
  GridDropout,
  HsvJitter,
  PcaLighting,
  RandomBrightnessContrast,
  type RandomBrightnessContrastOptions,
  RandomErasing,
  type RandomErasingOptions,
  RandomGrayscale,
} from './transforms-pixel.js';
export { setWasmEnabled, wasmReady, wasmStatus } from './wasm/kernels.js';
export {
  GpuImageBatch,
  GpuTensor,
  readBuffer,
  WebGpuAugmenter,
  type WebGpuAugmenterOptions,
} from './webgpu/augmenter.js';
export {
  cpuPipeline,
  cpuTransform,
  drawStepParams,
  type GpuInterpolation,
  type GpuStep,
  type StepParams,
} from './webgpu/steps.js';
export { type MoveTargetsOptions, moveTargets } from './webgpu/targets.js';

/**
 * Binary masks <-> COCO compressed RLE, through @striate/detection's pycocotools-compatible codec: masks are
 * row-major [H, W] tensors here (COCO's RLE runs column-major; the conversion is done by the codec).
 */

import { describeValue, Tensor } from '@striate/core';
import { type CompressedRle, rleDecode, rleEncode, rleFromString, rleToString } from '@striate/detection';
import { hw, labelsOf } from './labels.js';

/** COCO RLE `{ size: [h, w], counts }` of a binary mask [H, W] (nonzero = foreground). */
export function maskToRle(mask: Tensor): CompressedRle {
  const [h, w] = hw(mask as Tensor, 'maskToRle: mask');
  const ids = labelsOf(mask, 'maskToRle: mask');
  const bin = new Uint8Array(ids.length);
  for (let i = 0; i < ids.length; i++) bin[i] = ids[i] !== 0 ? 1 : 0;
  return { size: [h, w], counts: rleToString(rleEncode(bin, h, w, 'row-major')) };
}

/** The uint8 [H, W] mask (0/1) of a COCO compressed RLE. */
export function rleToMask(rle: CompressedRle): Tensor<'uint8'> {
  const size = rle?.size;
  if (!Array.isArray(size) || size.length !== 2 || typeof rle.counts !== 'string') {
    throw new TypeError(`rleToMask: rle: expected { size: [h, w], counts: string }, got ${describeValue(rle)}`);
  }
  const [h, w] = size;
  return new Tensor('uint8', [h, w], rleDecode(rleFromString(rle.counts, h, w, 'rleToMask: rle.counts'), 'row-major'));
}

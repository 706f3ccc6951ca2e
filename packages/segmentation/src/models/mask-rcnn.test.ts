import { referenceBackend, ShapeError, Tensor } from '@striate/core';
import { maskrcnnResnet50Fpn } from '@striate/detection';
import { describe, expect, test } from 'vitest';
import { readGoldenJson } from '../../../../test-utils/fixtures.js';
import { MaskRCNN, maskProbabilities, maskrcnn_resnet50_fpn, pasteMasksInImage } from '../index.js';

const golden = readGoldenJson<{ models: Record<string, { params: number; num_classes: number }> }>(
  'detseg_models.json',
).models;

describe('maskrcnn_resnet50_fpn assembled from detection parts + the mask branch', () => {
  const model = maskrcnn_resnet50_fpn({ skipInit: true });

  test('parameter count equals torchvision maskrcnn_resnet50_fpn (detseg_models.json)', () => {
    const ref = golden.maskrcnn_resnet50_fpn!;
    expect(ref.num_classes).toBe(91);
    expect(model).toBeInstanceOf(MaskRCNN);
    expect(model.numParameters()).toBe(ref.params);
    expect(model.numParameters()).toBe(44_454_513);
  });

  test("state_dict keys are torchvision's, and shapes equal detection's maskrcnnResnet50Fpn key for key", () => {
    const ours = model.stateDict();
    const keys = [...ours.keys()];
    for (const k of [
      'backbone.body.conv1.weight',
      'backbone.body.bn1.running_mean',
      'backbone.body.layer4.2.bn3.running_var',
      'backbone.fpn.inner_blocks.3.0.weight',
      'backbone.fpn.layer_blocks.0.0.bias',
      'rpn.head.conv.0.0.weight',
      'rpn.head.cls_logits.weight',
      'rpn.head.bbox_pred.bias',
      'roi_heads.box_head.fc6.weight',
      'roi_heads.box_head.fc7.bias',
      'roi_heads.box_predictor.cls_score.weight',
      'roi_heads.box_predictor.bbox_pred.weight',
      'roi_heads.mask_head.0.0.weight',
      'roi_heads.mask_head.3.0.bias',
      'roi_heads.mask_predictor.conv5_mask.weight',
      'roi_heads.mask_predictor.mask_fcn_logits.bias',
    ]) {
      expect(keys, k).toContain(k);
    }
    expect(keys.some((k) => k.startsWith('backbone.body.fc'))).toBe(false);
    expect(ours.get('roi_heads.box_head.fc6.weight')!.shape).toEqual([1024, 256 * 7 * 7]);
    expect(ours.get('roi_heads.mask_predictor.conv5_mask.weight')!.shape).toEqual([256, 256, 2, 2]);
    expect(ours.get('roi_heads.mask_predictor.mask_fcn_logits.weight')!.shape).toEqual([91, 256, 1, 1]);
    // Detection's own build of the same torchvision model: identical keys, order and shapes, and its weights load.
    const theirs = maskrcnnResnet50Fpn({ skipInit: true }).stateDict();
    expect(keys).toEqual([...theirs.keys()]);
    for (const [k, t] of theirs) expect(ours.get(k)!.shape, k).toEqual(t.shape);
    const loaded = maskrcnn_resnet50_fpn({ skipInit: true });
    const result = loaded.loadStateDict(theirs, { strict: true });
    expect(result).toEqual({ missing: [], unexpected: [] });
    const fc6 = 'roi_heads.box_head.fc6.weight';
    expect(Array.from((loaded.stateDict().get(fc6)!.data as Float32Array).subarray(0, 50))).toEqual(
      Array.from((theirs.get(fc6)!.data as Float32Array).subarray(0, 50)),
    );
  });

  test('dense outputs traced: FPN levels 0-3 + pool and the RPN per level (3 anchors)', () => {
    const g = model.toGraph({ inputs: { input: ['N', 3, 256, 320] } });
    const o = Object.fromEntries(g.outputs.map((v) => [v.name, v.shape]));
    expect(o['0']).toEqual(['N', 256, 64, 80]);
    expect(o['3']).toEqual(['N', 256, 8, 10]);
    expect(o.pool).toEqual(['N', 256, 4, 5]);
    expect(o.rpn_cls_0).toEqual(['N', 3, 64, 80]);
    expect(o.rpn_bbox_pool).toEqual(['N', 12, 4, 5]);
    expect(Object.keys(o)).toHaveLength(15);
  });

  test('second stage traced: box head [R,256,7,7] -> scores/deltas, mask branch [R,256,14,14] -> [R,91,28,28]', () => {
    const box = model.roi_heads.toGraph({ inputs: { rois: ['R', 256, 7, 7] } });
    expect(box.outputs.map((v) => [v.name, v.shape])).toEqual([
      ['scores', ['R', 91]],
      ['bbox_deltas', ['R', 364]],
    ]);
    const mask = model.roi_heads.maskBranch().toGraph({ inputs: { rois: ['R', 256, 14, 14] } });
    expect(mask.outputs[0]!.shape).toEqual(['R', 91, 28, 28]);
    expect(model.roi_heads.boxRoiPool.outputSize).toEqual([7, 7]);
    expect(model.roi_heads.maskRoiPool.outputSize).toEqual([14, 14]);
  });

  test('bad options are rejected by name', () => {
    expect(() => maskrcnn_resnet50_fpn({ numClasses: 0 })).toThrow(/numClasses/);
    expect(() => maskrcnn_resnet50_fpn({ numClass: 3 } as never)).toThrow(/unknown option "numClass"/);
    expect(() => maskrcnn_resnet50_fpn({ seed: 1.5 })).toThrow(/seed/);
  });
});

describe('maskProbabilities (torchvision maskrcnn_inference)', () => {
  test("picks each RoI's label map and applies the sigmoid", () => {
    // K=2, C=3, 1x2 maps: RoI 0 label 2, RoI 1 label 0.
    const logits = new Tensor(
      'float32',
      [2, 3, 1, 2],
      Float32Array.from([0, 0, 1, 1, 0, Math.log(3), 2, -2, 9, 9, 9, 9]),
    );
    const p = maskProbabilities(logits, Int32Array.of(2, 0));
    expect(p.shape).toEqual([2, 1, 1, 2]);
    const v = Array.from(p.data);
    expect(v[0]).toBeCloseTo(0.5, 7);
    expect(v[1]).toBeCloseTo(0.75, 7);
    expect(v[2]).toBeCloseTo(1 / (1 + Math.exp(-2)), 7);
    expect(v[3]).toBeCloseTo(1 / (1 + Math.exp(2)), 7);
  });

  test('bad input is named', () => {
    const logits = new Tensor('float32', [2, 3, 1, 1], new Float32Array(6));
    expect(() => maskProbabilities(logits, [0])).toThrow(ShapeError);
    expect(() => maskProbabilities(logits, [0, 3])).toThrow(/labels\[1\]: expected an integer in \[0, 3\)/);
    expect(() => maskProbabilities(new Tensor('float32', [2, 3], new Float32Array(6)), [0, 0])).toThrow(/logits/);
  });
});

describe('the mask path end to end on the reference backend (small classes, seeded weights)', {
  timeout: 30_000,
}, () => {
  test('FPN maps -> MultiScaleRoIAlign 14x14 -> mask branch -> label probabilities -> pasted image masks', async () => {
    const m = maskrcnn_resnet50_fpn({ numClasses: 3, seed: 5 });
    const heads = m.roi_heads;
    // FPN-shaped maps of a 64x64 image (strides 4, 8, 16, 32) with a smooth pattern.
    const level = (s: number) =>
      new Tensor(
        'float32',
        [1, 256, s, s],
        Float32Array.from({ length: 256 * s * s }, (_, i) => Math.sin(i * 0.37) * 0.5),
      );
    const feats = { '0': level(16), '1': level(8), '2': level(4), '3': level(2) };
    const boxes = Float32Array.of(4, 6, 40, 30, 20, 20, 60, 62);
    const rois = heads.maskRoiPool.forward(feats, [boxes], [[64, 64]]);
    expect(rois.shape).toEqual([2, 256, 14, 14]);
    const compiled = await referenceBackend.compile(
      heads
        .maskBranch()
        .eval()
        .toGraph({ inputs: { rois: ['R', 256, 14, 14] } }),
    );
    try {
      const out = await compiled.run({ rois });
      const logits = Object.values(out)[0]!;
      expect(logits.shape).toEqual([2, 3, 28, 28]);
      const probs = maskProbabilities(logits as Tensor, Int32Array.of(1, 2));
      const d = probs.data as Float32Array;
      expect(d.every((v) => v > 0 && v < 1)).toBe(true);
      const pasted = pasteMasksInImage(probs, boxes, [64, 64], { threshold: 0.5 });
      expect(pasted.shape).toEqual([2, 1, 64, 64]);
      // Nothing is pasted outside each (slightly expanded) box.
      const px = pasted.data as Uint8Array;
      expect(px[63 * 64 + 0]).toBe(0);
    } finally {
      compiled.dispose();
    }
  });
});

import type { Graph, Module } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { readGoldenJson } from '../../../../test-utils/fixtures.js';
import {
  detectorOptions,
  fasterrcnnMobilenetV3LargeFpn,
  fasterrcnnResnet50Fpn,
  type GeneralizedRCNN,
  maskrcnnResnet50Fpn,
} from './rcnn.js';
import { fcosResnet50Fpn, retinanetResnet50Fpn } from './retinanet-fcos.js';
import { ssd300Vgg16, ssdlite320MobilenetV3Large } from './ssd.js';

const golden = readGoldenJson('detseg_models.json') as { models: Record<string, { params: number }> };

// Each model is built once (zero-filled weights): building ResNet-50-sized models dominates the run time.
const builders = {
  fasterrcnn_resnet50_fpn: fasterrcnnResnet50Fpn,
  maskrcnn_resnet50_fpn: maskrcnnResnet50Fpn,
  fasterrcnn_mobilenet_v3_large_fpn: fasterrcnnMobilenetV3LargeFpn,
  retinanet_resnet50_fpn: retinanetResnet50Fpn,
  fcos_resnet50_fpn: fcosResnet50Fpn,
  ssd300_vgg16: ssd300Vgg16,
  ssdlite320_mobilenet_v3_large: ssdlite320MobilenetV3Large,
} as const;
type Name = keyof typeof builders;
const cache = new Map<Name, Module>();
function model(name: Name): Module {
  let m = cache.get(name);
  if (!m) {
    m = builders[name]();
    cache.set(name, m);
  }
  return m;
}

describe('parameter counts equal torchvision 0.26 (detseg_models.json, num_classes 91, BatchNorm2d)', () => {
  it('covers every detection model of the golden file', () => {
    const listed = Object.entries(golden.models)
      .filter(([, v]) => (v as { num_classes?: number }).num_classes === 91)
      .map(([k]) => k)
      .sort();
    expect(Object.keys(builders).sort()).toEqual(listed);
  });

  it.each(Object.keys(builders) as Name[])('%s', (name) => {
    expect(model(name).numParameters()).toBe(golden.models[name]!.params);
  });
});

function outputs(m: Module, size: number): Record<string, readonly (string | number)[]> {
  const g: Graph = m.eval().toGraph({ inputs: { images: ['N', 3, size, size] } });
  return Object.fromEntries(g.outputs.map((o) => [o.name, o.shape]));
}

describe('traced dense outputs (symbolic batch N)', () => {
  it('fasterrcnn_resnet50_fpn: FPN levels at strides 4-64 and the RPN head on each (3 anchors)', () => {
    const o = outputs(model('fasterrcnn_resnet50_fpn'), 256);
    expect(o['0']).toEqual(['N', 256, 64, 64]);
    expect(o['3']).toEqual(['N', 256, 8, 8]);
    expect(o.pool).toEqual(['N', 256, 4, 4]);
    expect(o.rpn_cls_0).toEqual(['N', 3, 64, 64]);
    expect(o.rpn_bbox_pool).toEqual(['N', 12, 4, 4]);
    expect(Object.keys(o)).toHaveLength(15);
  });

  it('maskrcnn_resnet50_fpn: box and mask heads on RoI features', () => {
    const m = model('maskrcnn_resnet50_fpn') as GeneralizedRCNN;
    const box = m.roi_heads.toGraph({ inputs: { rois: ['R', 256, 7, 7] } });
    expect(box.outputs.map((v) => [v.name, v.shape])).toEqual([
      ['scores', ['R', 91]],
      ['bbox_deltas', ['R', 364]],
    ]);
    const mask = m.roi_heads.mask_head!;
    const pred = m.roi_heads.mask_predictor!;
    const g = mask.toGraph({ inputs: { rois: ['R', 256, 14, 14] } });
    expect(g.outputs[0]!.shape).toEqual(['R', 256, 14, 14]);
    expect(pred.toGraph({ inputs: { x: ['R', 256, 14, 14] } }).outputs[0]!.shape).toEqual(['R', 91, 28, 28]);
  });

  it('fasterrcnn_mobilenet_v3_large_fpn: two FPN levels at stride 32 plus pool, 15 anchors', () => {
    const o = outputs(model('fasterrcnn_mobilenet_v3_large_fpn'), 320);
    expect(o['0']).toEqual(['N', 256, 10, 10]);
    expect(o['1']).toEqual(['N', 256, 10, 10]);
    expect(o.pool).toEqual(['N', 256, 5, 5]);
    expect(o.rpn_cls_0).toEqual(['N', 15, 10, 10]);
    expect(o.rpn_bbox_1).toEqual(['N', 60, 10, 10]);
  });

  it('retinanet_resnet50_fpn: P3-P7 x 9 anchors concatenated', () => {
    const o = outputs(model('retinanet_resnet50_fpn'), 256);
    const boxes = 9 * (32 * 32 + 16 * 16 + 8 * 8 + 4 * 4 + 2 * 2);
    expect(o).toEqual({ cls_logits: ['N', boxes, 91], bbox_regression: ['N', boxes, 4] });
  });

  it('fcos_resnet50_fpn: P3-P7 points with GroupNorm towers', () => {
    const o = outputs(model('fcos_resnet50_fpn'), 256);
    const pts = 32 * 32 + 16 * 16 + 8 * 8 + 4 * 4 + 2 * 2;
    expect(o).toEqual({ cls_logits: ['N', pts, 91], bbox_regression: ['N', pts, 4], bbox_ctrness: ['N', pts, 1] });
  });

  it('ssd300_vgg16: 8732 default boxes at 300x300', () => {
    expect(outputs(model('ssd300_vgg16'), 300)).toEqual({
      bbox_regression: ['N', 8732, 4],
      cls_logits: ['N', 8732, 91],
    });
  });

  it('ssdlite320_mobilenet_v3_large: 3234 default boxes at 320x320', () => {
    expect(outputs(model('ssdlite320_mobilenet_v3_large'), 320)).toEqual({
      bbox_regression: ['N', 3234, 4],
      cls_logits: ['N', 3234, 91],
    });
  });
});

describe('torchvision state_dict keys', () => {
  it('Mask R-CNN', () => {
    const keys = new Set(
      [...model('maskrcnn_resnet50_fpn').namedParameters(), ...model('maskrcnn_resnet50_fpn').namedBuffers()].map(
        ([k]) => k,
      ),
    );
    for (const k of [
      'backbone.body.conv1.weight',
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
      'roi_heads.mask_head.3.0.weight',
      'roi_heads.mask_predictor.conv5_mask.weight',
      'roi_heads.mask_predictor.mask_fcn_logits.bias',
    ]) {
      expect(keys.has(k), k).toBe(true);
    }
    expect([...keys].some((k) => k.includes('fc.') && k.startsWith('backbone.body.fc'))).toBe(false);
  });

  it('Faster R-CNN MobileNetV3, RetinaNet, FCOS, SSD, SSDLite', () => {
    const keysOf = (n: Name) => [...model(n).namedParameters(), ...model(n).namedBuffers()].map(([k]) => k);
    const has = (keys: Iterable<string>, list: string[]) => {
      const s = new Set(keys);
      for (const k of list) expect(s.has(k), k).toBe(true);
    };
    has(keysOf('fasterrcnn_mobilenet_v3_large_fpn'), [
      'backbone.body.0.0.weight',
      'backbone.body.13.block.2.fc1.weight',
      'backbone.body.16.1.running_mean',
      'backbone.fpn.inner_blocks.1.0.weight',
    ]);
    has(keysOf('retinanet_resnet50_fpn'), [
      'backbone.fpn.extra_blocks.p6.weight',
      'backbone.fpn.extra_blocks.p7.bias',
      'head.classification_head.conv.3.0.weight',
      'head.classification_head.cls_logits.weight',
      'head.regression_head.bbox_reg.weight',
    ]);
    has(keysOf('fcos_resnet50_fpn'), [
      'head.classification_head.conv.1.weight',
      'head.classification_head.conv.9.weight',
      'head.regression_head.bbox_ctrness.weight',
    ]);
    has(keysOf('ssd300_vgg16'), [
      'backbone.scale_weight',
      'backbone.features.21.weight',
      'backbone.extra.0.1.weight',
      'backbone.extra.0.7.1.weight',
      'backbone.extra.0.7.3.bias',
      'backbone.extra.4.2.weight',
      'head.classification_head.module_list.5.weight',
      'head.regression_head.module_list.0.bias',
    ]);
    has(keysOf('ssdlite320_mobilenet_v3_large'), [
      'backbone.features.0.13.0.weight',
      'backbone.features.1.0.1.0.weight',
      'backbone.features.1.0.2.fc2.bias',
      'backbone.features.1.3.0.weight',
      'backbone.extra.3.2.1.running_var',
      'head.classification_head.module_list.0.0.0.weight',
      'head.regression_head.module_list.5.1.bias',
    ]);
  });

  it('detector options are validated', () => {
    expect(detectorOptions(undefined, 'x')).toEqual({ numClasses: 91, skipInit: true });
    expect(() => detectorOptions({ numClasses: 0 }, 'x')).toThrow(/numClasses: expected an integer >= 1, got 0/);
    expect(() => detectorOptions({ bogus: 1 } as never, 'x')).toThrow(/unknown option "bogus"/);
  });
});

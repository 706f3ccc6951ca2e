import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from './args.js';

describe('parseCli', () => {
  it('parses run with lists and report paths', () => {
    expect(
      parseCli(['run', '--quick', '--backends', 'ort-node,reference', '--models', 'lenet5', '--json', 'a.json']),
    ).toEqual({
      command: 'run',
      quick: true,
      backends: ['ort-node', 'reference'],
      models: ['lenet5'],
      json: 'a.json',
    });
    expect(parseCli(['run'])).toEqual({ command: 'run', quick: false });
  });

  it('parses eval and map', () => {
    expect(parseCli(['eval', '--gt', 'g.json', '--dt', 'd.json', '--iou-type', 'segm', '--json'])).toEqual({
      command: 'eval',
      gt: 'g.json',
      dt: 'd.json',
      iouType: 'segm',
      json: true,
    });
    const m = parseCli(['map', '--model', 'm.onnx', '--decoder', 'fastestdet', '--images', 'i', '--gt', 'g.json']);
    expect(m).toEqual({
      command: 'map',
      model: 'm.onnx',
      decoder: 'fastestdet',
      images: 'i',
      gt: 'g.json',
      backend: 'ort-node',
      json: false,
    });
  });

  it('answers help with no command', () => {
    expect(parseCli([])).toEqual({ command: 'help' });
    expect(parseCli(['--help'])).toEqual({ command: 'help' });
  });

  it('names the option and the expected values in its errors', () => {
    const cases: [string[], RegExp][] = [
      [['bogus'], /unknown command 'bogus'; expected run, eval, map, detect or segment/],
      [
        ['run', '--backends', 'ort-node,gpu9'],
        /--backends: unknown name 'gpu9'; expected one of ort-node, tfjs, reference, ort-web/,
      ],
      [['run', '--models', 'vgg99'], /--models: unknown name 'vgg99'; expected one of lenet5/],
      [['run', '--backends', ','], /--backends: expected a comma-separated list/],
      [['run', '--frobnicate'], /Unknown option '--frobnicate'/],
      [['eval', '--gt', 'g.json', '--dt', 'd.json'], /--iou-type is required: 'bbox' or 'segm'/],
      [
        ['eval', '--gt', 'g.json', '--dt', 'd.json', '--iou-type', 'keypoints'],
        /--iou-type: expected 'bbox' or 'segm', got 'keypoints'/,
      ],
      [['eval', '--dt', 'd.json', '--iou-type', 'bbox'], /--gt is required/],
      [['map', '--model', 'm.onnx'], /--decoder is required/],
      [
        ['map', '--model', 'm', '--decoder', 'x', '--images', 'i', '--gt', 'g', '--backend', 'cuda9'],
        /--backend: unknown name 'cuda9'/,
      ],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseCli(argv), argv.join(' ')).toThrow(UsageError);
      expect(() => parseCli(argv), argv.join(' ')).toThrow(message);
    }
  });
});

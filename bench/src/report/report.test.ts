import { describe, expect, it } from 'vitest';
import { FIXTURE_REPORT } from './fixture.js';
import { formatAccuracy, formatDiff, machineLine, toMarkdown } from './markdown.js';
import { accuracyChart, barChart, escapeXml, latencyChart } from './svg.js';

describe('toMarkdown', () => {
  const md = toMarkdown(FIXTURE_REPORT);
  const speed = md.slice(0, md.indexOf('## Accuracy'));
  const rows = speed.split('\n').filter((l) => l.startsWith('| '));

  it('writes a header and one row per case', () => {
    expect(rows).toHaveLength(1 + FIXTURE_REPORT.cases.length);
    expect(rows[0]).toContain('| model | backend | device | batch | providers that ran |');
    expect(rows[1]).toBe('| fastestdet | ort-node | cpu | 1 | cpu | 111 | 17.50 | 26.25 | 57.1 | 15 | 17.00 (x1.03) |');
  });

  it('says where the data came from', () => {
    expect(md).toContain('Data: the embedded sample (bench/fixtures/sample) (`/repo/bench/fixtures/sample/data`)');
  });

  it('writes the accuracy with the reference marked, the NMS stage and the checks that did not pass', () => {
    expect(md).toContain(
      '| fastestdet | coco128-val | 8 | ort-node | cpu | coco-bbox | mAP 0.200 (ref), mAP50 0.350 (ref) |',
    );
    expect(md).toContain(
      '| fastestdet | ort-node | cpu | 000000000139.jpg | 0.01 | 120 → 30 | 0.45 per class | 0.050 | 0.500 (x10.0) |',
    );
    expect(md).toContain('1 passed, 1 failed, 1 not checked');
    expect(md).toContain('- **FAILED** agreement: x tfjs/wasm: differs from ort-node/cpu by 1.00e-1');
    expect(md).toContain('- not checked floor: fastestdet ort-node/cpu coco128-val@8 mAP50: no floor');
  });

  it('formats each number with its difference from the reference', () => {
    const a = { dataset: 'w', metric: 'widerface-ap' as const, images: 8, values: { easy: 0.7, hard: 0.3 } };
    expect(formatAccuracy({ ...a, diff: { easy: 0, hard: -0.0123 } }, false)).toBe(
      'easy 0.700 (Δ 0), hard 0.300 (Δ -1.2e-2)',
    );
    expect(formatAccuracy(a, true)).toBe('easy 0.700 (ref), hard 0.300 (ref)');
    expect(formatDiff(2e-5)).toBe('+2.0e-5');
  });

  it('marks a fallback and escapes table pipes', () => {
    expect(rows[2]).toContain('webgpu, cpu (fallback: 3 nodes) **(fallback)**');
    expect(rows[3]).toContain('error: UnsupportedOpError: <Foo> & friends');
    expect(md).toContain('- ort-node/webgpu: no adapter \\| none');
  });

  it('describes the machine', () => {
    expect(machineLine(FIXTURE_REPORT)).toBe(
      'Linux 6 x64, Test CPU (2 cores), 8 GiB, Node v20.0.0; onnxruntime-node 1.30.0',
    );
    expect(md).toContain('Machine: Linux 6 x64, Test CPU');
  });
});

describe('SVG charts', () => {
  it('escapes XML', () => {
    expect(escapeXml('a<b & "c">')).toBe('a&lt;b &amp; &quot;c&quot;&gt;');
  });

  it('draws one labelled bar per value, longer for slower, log scaled', () => {
    const svg = barChart('T', 'ms', [
      { group: 'g', label: 'fast x', value: 1 },
      { group: 'g', label: 'slow y', value: 100 },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const widths = [...svg.matchAll(/<rect x="300" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(2);
    expect(widths[1]!).toBeGreaterThan(widths[0]!);
    expect(svg).toContain('>1.00 ms</text>');
    expect(svg).toContain('>100 ms</text>');
  });

  it('charts latency per backend with the raw ORT peer and the fallback note', () => {
    const svg = latencyChart(FIXTURE_REPORT);
    expect(svg).toContain('>ort-node cpu</text>');
    expect(svg).toContain('>onnxruntime-node raw cpu</text>');
    expect(svg).toContain('120 ms (fallback)');
    expect(svg).not.toContain('lenet5'); // the failed case has no bar
  });

  it('charts accuracy against latency only where accuracy exists', () => {
    expect(accuracyChart(FIXTURE_REPORT)).toContain('fastestdet ort-node/cpu: mAP50 0.350, 17.5 ms');
    expect(accuracyChart({ ...FIXTURE_REPORT, cases: FIXTURE_REPORT.cases.slice(1) })).toBeUndefined();
  });
});

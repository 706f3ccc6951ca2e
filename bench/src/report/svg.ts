/**
 * SVG charts written by hand: horizontal bars with labels, one group per model (latency per backend, log scale so
 * 0.05 ms and 4 s fit on one chart), and a scatter of accuracy against latency where accuracy exists.
 */
import type { AccuracyMetric, BenchReport } from './schema.js';

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#9c755f'];

export function escapeXml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

export interface Bar {
  group: string;
  label: string;
  value: number;
  note?: string;
}

/** Horizontal bars grouped by `group`, log-scaled values, each labelled with its value and unit. */
export function barChart(title: string, unit: string, bars: readonly Bar[]): string {
  const labelW = 300;
  const plotW = 460;
  const rowH = 18;
  const width = labelW + plotW + 150;
  const colors = new Map<string, string>();
  for (const b of bars) {
    const key = b.label.split(' ')[0]!;
    if (!colors.has(key)) colors.set(key, PALETTE[colors.size % PALETTE.length]!);
  }
  const positive = bars.map((b) => b.value).filter((v) => v > 0);
  const lo = positive.length ? Math.log10(Math.min(...positive)) - 0.3 : 0;
  const hi = positive.length ? Math.log10(Math.max(...positive)) + 0.05 : 1;
  const scale = (v: number): number => (v > 0 ? Math.max(2, ((Math.log10(v) - lo) / (hi - lo)) * plotW) : 0);
  const out: string[] = [];
  let y = 40;
  let group = '';
  for (const b of bars) {
    if (b.group !== group) {
      group = b.group;
      y += 8;
      out.push(`<text x="8" y="${y + 12}" font-weight="bold">${escapeXml(group)}</text>`);
      y += rowH;
    }
    const w = scale(b.value);
    const color = colors.get(b.label.split(' ')[0]!)!;
    out.push(
      `<text x="${labelW - 6}" y="${y + 12}" text-anchor="end">${escapeXml(b.label)}</text>`,
      `<rect x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 5}" fill="${color}"/>`,
      `<text x="${(labelW + w + 4).toFixed(1)}" y="${y + 12}">${b.value < 10 ? b.value.toFixed(2) : b.value.toFixed(0)} ${escapeXml(unit)}${b.note ? ` ${escapeXml(b.note)}` : ''}</text>`,
    );
    y += rowH;
  }
  const height = y + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="8" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    ...out,
    `<text x="8" y="${height - 8}" fill="#666">log scale; shorter is faster</text>`,
    '</svg>',
    '',
  ].join('\n');
}

/** Latency (p50, batch 1) per backend/device, grouped by model. */
export function latencyChart(r: BenchReport): string {
  const bars: Bar[] = [];
  const models = [...new Set(r.cases.map((c) => c.model))];
  for (const model of models) {
    for (const c of r.cases) {
      if (c.model !== model || c.status !== 'ok' || c.batch !== 1 || !c.latency) continue;
      bars.push({
        group: model,
        label: `${c.backend} ${c.device}`,
        value: c.latency.p50Ms,
        ...(c.fallback ? { note: '(fallback)' } : {}),
      });
      if (c.peer) bars.push({ group: model, label: 'onnxruntime-node raw cpu', value: c.peer.latency.p50Ms });
    }
  }
  return barChart(`Latency p50, batch 1 (${r.machine.cpuModel}, ${r.machine.cores} cores)`, 'ms', bars);
}

/** The number each metric shows on the accuracy chart. */
export const HEADLINE: Readonly<Record<AccuracyMetric, string>> = Object.freeze({
  'coco-bbox': 'mAP50',
  'widerface-ap': 'easy',
  'person-iou': 'iou',
  top1: 'top1',
});

/**
 * Accuracy (each task's headline number: mAP50, WIDER easy AP, person IoU) against p50 latency, one labelled point
 * per case that measured accuracy; undefined when none did.
 */
export function accuracyChart(r: BenchReport): string | undefined {
  const pts = r.cases.filter((c) => c.status === 'ok' && c.accuracy && c.latency);
  if (pts.length === 0) return undefined;
  const W = 900;
  const H = Math.max(360, 40 + 16 * pts.length + 60);
  const L = 70;
  const B = 50;
  const T = 40;
  const R = 420;
  const lat = pts.map((c) => Math.log10(c.latency!.p50Ms));
  const acc = pts.map((c) => c.accuracy!.values[HEADLINE[c.accuracy!.metric]] ?? 0);
  const metrics = [...new Set(pts.map((c) => c.accuracy!.metric))];
  const x0 = Math.min(...lat) - 0.2;
  const x1 = Math.max(...lat) + 0.2;
  const y1 = Math.min(1, Math.ceil(Math.max(...acc) * 12) / 10);
  // One colour per model: the same weights on each backend sit on one horizontal line when they agree.
  const models = [...new Set(pts.map((c) => c.model))];
  const colorOf = (model: string): string => PALETTE[models.indexOf(model) % PALETTE.length]!;
  const px = (v: number): number => L + ((v - x0) / (x1 - x0)) * (W - L - R);
  const py = (v: number): number => H - B - (v / y1) * (H - B - T);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="8" y="22" font-size="15" font-weight="bold">Accuracy vs latency (${escapeXml(metrics.map((m) => `${m}: ${HEADLINE[m]}`).join(', '))})</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>`,
    `<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">latency p50, ms (log scale; left is faster)</text>`,
    `<text x="14" y="${(T + H - B) / 2}" transform="rotate(-90 14 ${(T + H - B) / 2})" text-anchor="middle">accuracy (up is better)</text>`,
  ];
  for (let d = Math.ceil(x0); d <= Math.floor(x1); d++) {
    out.push(`<text x="${px(d)}" y="${H - B + 16}" text-anchor="middle">${10 ** d}</text>`);
  }
  for (const v of [0, y1 / 2, y1])
    out.push(`<text x="${L - 6}" y="${py(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`);
  pts.forEach((c, i) => {
    const x = px(lat[i]!);
    const y = py(acc[i]!);
    const color = colorOf(c.model);
    out.push(
      `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="5" fill="${color}"/>`,
      `<text x="${W - R + 10}" y="${T + 16 * i + 4}" fill="${color}">● ${escapeXml(`${c.model} ${c.backend}/${c.device}: ${HEADLINE[c.accuracy!.metric]} ${acc[i]!.toFixed(3)}, ${c.latency!.p50Ms.toFixed(1)} ms`)}</text>`,
    );
  });
  out.push('</svg>', '');
  return out.join('\n');
}

/** The Markdown report: the machine, then one table row per case. */
import type { BenchReport, CaseResult } from './schema.js';

const f = (x: number | undefined, digits = 2): string => (x === undefined ? '' : x.toFixed(digits));

function escapeCell(s: string): string {
  return s.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function row(c: CaseResult): string {
  if (c.status === 'error') {
    return `| ${c.model} | ${c.backend} | ${c.device} | ${c.batch} | error: ${escapeCell(c.error ?? '')} | | | | | | | |`;
  }
  const providers = escapeCell((c.providers ?? []).join(', ')) + (c.fallback ? ' **(fallback)**' : '');
  const peer = c.peer ? `${f(c.peer.latency.p50Ms)} (x${f(c.peer.overheadRatio)})` : '';
  const a = c.accuracy;
  const acc = a
    ? `${f(a.mAP, 3)} / ${f(a.mAP50, 3)}${a.diffFromOrtCpu !== undefined ? ` (Δ ${a.diffFromOrtCpu.toExponential(1)})` : ''}`
    : '';
  return (
    `| ${c.model} | ${c.backend} | ${c.device} | ${c.batch} | ${providers} | ${f(c.coldStartMs, 0)} | ` +
    `${f(c.latency?.p50Ms)} | ${f(c.latency?.p95Ms)} | ${f(c.imagesPerSecond, 1)} | ${f(c.peakRssDeltaMiB, 0)} | ${peer} | ${acc} |`
  );
}

/** The machine line of a report, e.g. for a README. */
export function machineLine(r: BenchReport): string {
  const m = r.machine;
  const rt = Object.entries(m.runtimes)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `${m.os} ${m.arch}, ${m.cpuModel} (${m.cores} cores), ${m.memoryGiB} GiB, Node ${m.node}${rt ? `; ${rt}` : ''}`;
}

export function toMarkdown(r: BenchReport): string {
  const lines = [
    `# striate-bench results${r.quick ? ' (--quick)' : ''}`,
    '',
    `Command: \`${r.command}\`, ${r.createdAt}, ${r.totalSeconds.toFixed(0)} s.`,
    '',
    `Machine: ${machineLine(r)}.`,
    '',
    'Latency is per run of one batch (ms); cold start = compile incl. session creation (ms); peak RSS = process RSS ' +
      'high-water mark during the case minus RSS before it (MiB); raw ORT = a plain onnxruntime-node session on the ' +
      "same ONNX bytes, p50 ms (striate's p50 / raw p50); mAP / mAP50 = pycocotools bbox AP@[.5:.95] / AP@.5 on the " +
      'first images of the dataset (Δ = difference from ort-node cpu, same weights).',
    '',
    '| model | backend | device | batch | providers that ran | cold start | p50 | p95 | images/s | peak RSS | raw ORT p50 | mAP / mAP50 |',
    '|---|---|---|---:|---|---:|---:|---:|---:|---:|---|---|',
    ...r.cases.map(row),
    '',
  ];
  const skipped = r.devices.filter((d) => !d.available);
  if (skipped.length > 0) {
    lines.push('Devices not available here:', '');
    for (const d of skipped) lines.push(`- ${d.backend}/${d.device}: ${escapeCell(d.reason ?? 'unknown')}`);
    lines.push('');
  }
  return lines.join('\n');
}

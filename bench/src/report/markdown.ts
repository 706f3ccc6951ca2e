/** The Markdown report: the machine and the data, the speed table, the accuracy table, the NMS stage, the checks. */
import type { AccuracyResult, BenchReport, CaseResult, CheckResult } from './schema.js';

const f = (x: number | undefined, digits = 2): string => (x === undefined ? '' : x.toFixed(digits));

function escapeCell(s: string): string {
  return s.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function row(c: CaseResult): string {
  if (c.status === 'error') {
    return `| ${c.model} | ${c.backend} | ${c.device} | ${c.batch} | error: ${escapeCell(c.error ?? '')} | | | | | | |`;
  }
  const providers = escapeCell((c.providers ?? []).join(', ')) + (c.fallback ? ' **(fallback)**' : '');
  const peer = c.peer ? `${f(c.peer.latency.p50Ms)} (x${f(c.peer.overheadRatio)})` : '';
  return (
    `| ${c.model} | ${c.backend} | ${c.device} | ${c.batch} | ${providers} | ${f(c.coldStartMs, 0)} | ` +
    `${f(c.latency?.p50Ms)} | ${f(c.latency?.p95Ms)} | ${f(c.imagesPerSecond, 1)} | ${f(c.peakRssDeltaMiB, 0)} | ${peer} |`
  );
}

/** `0` for an exact match, else the signed difference in scientific notation. */
export function formatDiff(d: number): string {
  return d === 0 ? '0' : `${d > 0 ? '+' : ''}${d.toExponential(1)}`;
}

/** Each number with its difference from the reference backend, e.g. `easy 0.712 (Δ 0)`. */
export function formatAccuracy(a: AccuracyResult, isReference: boolean): string {
  return Object.entries(a.values)
    .map(([k, v]) => {
      const d = a.diff?.[k];
      const note = isReference ? ' (ref)' : d === undefined ? '' : ` (Δ ${formatDiff(d)})`;
      return `${k} ${v.toFixed(3)}${note}`;
    })
    .join(', ');
}

function accuracyRow(c: CaseResult): string {
  if (!c.accuracy)
    return `| ${c.model} | | | ${c.backend} | ${c.device} | | ${escapeCell(c.accuracySkipped?.startsWith('not available') ? c.accuracySkipped : `skipped: ${c.accuracySkipped ?? ''}`)} |`;
  const a = c.accuracy;
  const isRef = a.reference === `${c.backend}/${c.device}`;
  return `| ${c.model} | ${a.dataset} | ${a.images} | ${c.backend} | ${c.device} | ${a.metric} | ${formatAccuracy(a, isRef)} |`;
}

function nmsRow(c: CaseResult): string {
  const n = c.nms!;
  const peers = n.peers.map(
    (p) => `${f(p.latency.p50Ms, 3)} (x${f(p.ratio, 1)})${p.sameKeep ? '' : ' **keep differs**'}`,
  );
  return (
    `| ${c.model} | ${c.backend} | ${c.device} | ${n.image} | ${n.scoreThreshold} | ${n.candidates} → ${n.kept} | ${n.iouThreshold}` +
    `${n.classAware ? ' per class' : ''} | ${f(n.striate.p50Ms, 3)} | ${peers.join(' | ')} |`
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

const SOURCE_TEXT = {
  env: 'the folder named by the environment variable',
  shared: '../shared beside the repository',
  sample: 'the embedded sample (bench/fixtures/sample)',
} as const;

/** Where the data and models came from, in one sentence. */
export function dataLine(r: BenchReport): string {
  return (
    `Data: ${SOURCE_TEXT[r.data.source]} (\`${r.data.dataDir}\`); models: ${SOURCE_TEXT[r.data.modelsSource]} ` +
    `(\`${r.data.modelsDir}\`).`
  );
}

/** Counts of passed, failed and unchecked checks. */
export function checkCounts(checks: readonly CheckResult[]): { passed: number; failed: number; unchecked: number } {
  return {
    passed: checks.filter((c) => c.ok === true).length,
    failed: checks.filter((c) => c.ok === false).length,
    unchecked: checks.filter((c) => c.ok === undefined).length,
  };
}

export function toMarkdown(r: BenchReport): string {
  const lines = [
    `# striate-bench results${r.quick ? ' (--quick)' : ''}`,
    '',
    `Command: \`${r.command}\`, ${r.createdAt}, ${r.totalSeconds.toFixed(0)} s.`,
    '',
    `Machine: ${machineLine(r)}.`,
    '',
    dataLine(r),
    '',
    'Latency is per run of one batch (ms); cold start = compile incl. session creation (ms); peak RSS = process RSS ' +
      'high-water mark during the case minus RSS before it (MiB); raw ORT = a plain onnxruntime-node session on the ' +
      "same ONNX bytes, p50 ms (striate's p50 / raw p50).",
    '',
    '| model | backend | device | batch | providers that ran | cold start | p50 | p95 | images/s | peak RSS | raw ORT p50 |',
    '|---|---|---|---:|---|---:|---:|---:|---:|---:|---|',
    ...r.cases.map(row),
    '',
  ];
  const acc = r.cases.filter((c) => c.accuracy || c.accuracySkipped);
  if (acc.length > 0) {
    lines.push(
      '## Accuracy (same weights on every backend)',
      '',
      'coco-bbox: pycocotools bbox AP@[.5:.95] (mAP) and AP@.5 (mAP50); widerface-ap: the official WIDER FACE ' +
        'easy/medium/hard AP; person-iou: pooled person IoU (iou) and mean per image (meanIou); top1: the share of ' +
        'MNIST images whose highest logit is their label (LeNet-5, held-out t10k images). Δ = value minus the ' +
        'reference backend of the same weights (ref).',
      '',
      '| model | dataset | images | backend | device | metric | values |',
      '|---|---|---:|---|---|---|---|',
      ...acc.map(accuracyRow),
      '',
    );
  }
  const nms = r.cases.filter((c) => c.nms);
  if (nms.length > 0) {
    const names = nms[0]!.nms!.peers.map((p) => p.name);
    lines.push(
      '## NMS stage (real candidates)',
      '',
      "The detector's decoded boxes on one image at the accuracy task's score threshold, sorted by score; striate's " +
        '`nms` (`batchedNms` per class) against each peer on the same boxes, p50 ms (peer p50 / striate p50).',
      '',
      `| model | backend | device | image | score ≥ | candidates → kept | IoU | striate p50 | ${names.join(' | ')} |`,
      `|---|---|---|---|---:|---:|---|---:|${names.map(() => '---:|').join('')}`,
      ...nms.map(nmsRow),
      '',
    );
  }
  const n = checkCounts(r.checks);
  lines.push(
    '## Checks',
    '',
    `${n.passed} passed, ${n.failed} failed, ${n.unchecked} not checked (floors and tolerances: bench/accuracy-floors.json).`,
    '',
  );
  for (const c of r.checks.filter((x) => x.ok !== true)) {
    lines.push(
      `- ${c.ok === false ? '**FAILED**' : 'not checked'} ${c.kind}: ${escapeCell(c.subject)}: ${escapeCell(c.detail)}`,
    );
  }
  if (r.checks.some((x) => x.ok !== true)) lines.push('');
  const skipped = r.devices.filter((d) => !d.available);
  if (skipped.length > 0) {
    lines.push('Devices not available here:', '');
    for (const d of skipped) lines.push(`- ${d.backend}/${d.device}: ${escapeCell(d.reason ?? 'unknown')}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** Learning-rate schedules per epoch (PyTorch's StepLR and CosineAnnealingLR, stepped once per epoch). */
export type LrSchedule =
  | { readonly type: 'constant' }
  | { readonly type: 'step'; readonly stepSize: number; readonly gamma?: number }
  | { readonly type: 'cosine'; readonly tMax?: number; readonly etaMin?: number };

/** The factor on the base rate at `epoch` (0-based) of `epochs`; cosine's etaMin is relative to the base rate. */
export function lrFactor(schedule: LrSchedule | undefined, epoch: number, epochs: number, baseLr: number): number {
  if (!schedule || schedule.type === 'constant') return 1;
  if (schedule.type === 'step') {
    if (!Number.isInteger(schedule.stepSize) || schedule.stepSize < 1) {
      throw new RangeError(`options.schedule.stepSize: expected an integer >= 1, got ${String(schedule.stepSize)}`);
    }
    return (schedule.gamma ?? 0.1) ** Math.floor(epoch / schedule.stepSize);
  }
  if (schedule.type === 'cosine') {
    const tMax = schedule.tMax ?? epochs;
    const etaMin = schedule.etaMin ?? 0;
    const lr = etaMin + ((baseLr - etaMin) * (1 + Math.cos((Math.PI * Math.min(epoch, tMax)) / tMax))) / 2;
    return baseLr === 0 ? 1 : lr / baseLr;
  }
  throw new RangeError(
    `options.schedule.type: expected 'constant', 'step' or 'cosine', got ${JSON.stringify((schedule as { type: unknown }).type)}`,
  );
}

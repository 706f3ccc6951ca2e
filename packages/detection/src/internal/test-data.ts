/** Seeded random boxes for tests and benchmarks (an LCG, independent of the library's RNG). Not exported. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** `n` boxes in a `canvas` x `canvas` square, sides in [minSide, maxSide], and uniform scores. */
export function randomBoxes(
  n: number,
  seed: number,
  canvas = 640,
  minSide = 8,
  maxSide = 200,
): { boxes: Float32Array; scores: Float32Array } {
  const next = lcg(seed);
  const boxes = new Float32Array(4 * n);
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const w = minSide + (maxSide - minSide) * next();
    const h = minSide + (maxSide - minSide) * next();
    const x = (canvas - w) * next();
    const y = (canvas - h) * next();
    boxes[4 * i] = x;
    boxes[4 * i + 1] = y;
    boxes[4 * i + 2] = x + w;
    boxes[4 * i + 3] = y + h;
    scores[i] = next();
  }
  return { boxes, scores };
}

import { describeValue, StateDictError } from '../errors.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';

/** A state dict to load: a Map (as `stateDict()` returns) or a plain object, key -> Tensor. */
export type StateDictInput = ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

export interface LoadStateDictOptions {
  /** true (default): missing or unexpected keys are errors. Shape mismatches are errors either way. */
  readonly strict?: boolean;
}

/** Keys that did not line up (only non-empty with `strict: false`, since strict loading throws). */
export interface LoadStateDictResult {
  readonly missing: string[];
  readonly unexpected: string[];
}

interface Slot {
  readonly key: string;
  get(): Tensor;
  set(t: Tensor): void;
}

function entriesOf(dict: unknown): [string, unknown][] {
  if (dict instanceof Map) return [...dict.entries()];
  if (typeof dict === 'object' && dict !== null && !Array.isArray(dict) && !ArrayBuffer.isView(dict)) {
    return Object.entries(dict);
  }
  throw new TypeError(`dict: expected a Map or a plain object of Tensors, got ${describeValue(dict)}`);
}

function listPart(label: string, items: readonly string[]): string {
  return `${items.length} ${label}: ${items.join(', ')}`;
}

/** Loads `dict` into `slots` (see `Module.loadStateDict`). */
export function loadStateDictInto(
  slots: readonly Slot[],
  dict: StateDictInput,
  options: LoadStateDictOptions = {},
): LoadStateDictResult {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options: expected { strict?: boolean }, got ${describeValue(options)}`);
  }
  const strict = options.strict ?? true;
  if (typeof strict !== 'boolean')
    throw new TypeError(`options.strict: expected a boolean, got ${describeValue(strict)}`);
  const given = new Map<string, Tensor>();
  for (const [key, value] of entriesOf(dict)) {
    if (!(value instanceof Tensor))
      throw new TypeError(`dict[${JSON.stringify(key)}]: expected a Tensor, got ${describeValue(value)}`);
    given.set(key, value);
  }
  const expected = new Map<string, Slot[]>();
  for (const slot of slots) expected.set(slot.key, [...(expected.get(slot.key) ?? []), slot]);
  const missing = [...expected.keys()].filter((k) => !given.has(k));
  const unexpected = [...given.keys()].filter((k) => !expected.has(k));
  const mismatched: { key: string; expected: number[]; actual: number[] }[] = [];
  for (const [key, targets] of expected) {
    const t = given.get(key);
    const current = targets[0]!.get();
    if (t && !shapesEqual(t.shape, current.shape))
      mismatched.push({ key, expected: [...current.shape], actual: [...t.shape] });
  }
  if (mismatched.length > 0 || (strict && (missing.length > 0 || unexpected.length > 0))) {
    const parts: string[] = [];
    if (strict && missing.length > 0) parts.push(listPart('missing key(s)', missing));
    if (strict && unexpected.length > 0) parts.push(listPart('unexpected key(s)', unexpected));
    if (mismatched.length > 0) {
      const items = mismatched.map(
        (m) => `${m.key} (expected ${formatShape(m.expected)}, got ${formatShape(m.actual)})`,
      );
      parts.push(listPart('shape mismatch(es)', items));
    }
    throw new StateDictError(`loadStateDict: ${parts.join('; ')}`, {
      missing: strict ? missing : [],
      unexpected: strict ? unexpected : [],
      mismatched,
    });
  }
  for (const [key, targets] of expected) {
    const t = given.get(key);
    if (!t) continue;
    for (const slot of targets) {
      const dtype = slot.get().dtype;
      slot.set(t.dtype === dtype ? t.clone() : t.cast(dtype));
    }
  }
  return { missing, unexpected };
}

/**
 * Typed errors. Each carries a stable `code` so callers can branch without parsing messages, and a message that
 * names the offending input, the expected value and the actual one.
 */
export class StriateError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A shape does not fit: wrong rank, mismatched dimensions, or a size formula that gives no valid output. */
export class ShapeError extends StriateError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_SHAPE', message, options);
  }
}

/** A tensor has a dtype the operation does not accept. */
export class DTypeError extends StriateError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_DTYPE', message, options);
  }
}

/** Bytes or records from outside (a file, a JSON document) are malformed. Names the item and the byte offset. */
export class DataError extends StriateError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_DATA', message, options);
  }
}

/** A graph op (or an op's attribute) is not supported by the component that was asked to handle it. */
export class UnsupportedOpError extends StriateError {
  readonly opType: string;
  constructor(opType: string, message: string, options?: { cause?: unknown }) {
    super('ERR_UNSUPPORTED_OP', message, options);
    this.opType = opType;
  }
}

/** Loading a state dict found missing, unexpected or shape-mismatched keys (all of them are listed). */
export class StateDictError extends StriateError {
  readonly missing: readonly string[];
  readonly unexpected: readonly string[];
  readonly mismatched: readonly { key: string; expected: readonly number[]; actual: readonly number[] }[];
  constructor(
    message: string,
    details: {
      missing: readonly string[];
      unexpected: readonly string[];
      mismatched: readonly { key: string; expected: readonly number[]; actual: readonly number[] }[];
    },
  ) {
    super('ERR_STATE_DICT', message);
    this.missing = details.missing;
    this.unexpected = details.unexpected;
    this.mismatched = details.mismatched;
  }
}

/** Formats a value for an error message: short, unambiguous (strings quoted, arrays bracketed, NaN shown). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) {
    const head = value.slice(0, 8).map(describeValue).join(', ');
    return `[${head}${value.length > 8 ? `, ... (${value.length} items)` : ''}]`;
  }
  if (ArrayBuffer.isView(value)) {
    return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length})`;
  }
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return String(value);
}

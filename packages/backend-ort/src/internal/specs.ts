import { type Dim, type DType, DTypeError } from '@striate/core';
import type { ValueSpec } from './feeds.js';
import type { OrtSession } from './ort-runtime.js';

const DTYPES: ReadonlySet<string> = new Set(['float32', 'float16', 'int32', 'int64', 'uint8', 'bool']);

function specsOf(metadata: OrtSession['inputMetadata'], kind: string): ValueSpec[] {
  return metadata.map((m) => {
    if (!m.isTensor || !DTYPES.has(m.type)) {
      throw new DTypeError(
        `model ${kind} ${JSON.stringify(m.name)}: expected a tensor of ${[...DTYPES].join(', ')}, got ` +
          `${m.isTensor ? `a ${m.type} tensor` : 'a non-tensor value'}`,
      );
    }
    const shape: Dim[] = m.shape.map((d, axis) =>
      typeof d === 'number' && d >= 0 ? d : typeof d === 'string' && d !== '' ? d : `${m.name}:${axis}`,
    );
    return { name: m.name, dtype: m.type as DType, shape };
  });
}

/** The inputs and outputs an ONNX Runtime session declares, as value specs (unnamed free dims get a unique symbol). */
export function sessionSpecs(session: OrtSession): { inputs: ValueSpec[]; outputs: ValueSpec[] } {
  return { inputs: specsOf(session.inputMetadata, 'input'), outputs: specsOf(session.outputMetadata, 'output') };
}

import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-common';

/** The part of an onnxruntime module (`onnxruntime-node` or `onnxruntime-web`) that the backends use. */
export interface OrtRuntime {
  readonly InferenceSession: {
    create(bytes: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession>;
  };
  readonly Tensor: new (type: OrtTensor.Type, data: OrtTensor.DataType, dims?: readonly number[]) => OrtTensor;
}

export type OrtSession = InferenceSession;
export type OrtSessionOptions = InferenceSession.SessionOptions;
export type { OrtTensor };

import type { CallOptions } from './common.js';

/** Element types the SDK passes to models. */
export type TensorType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool' | 'string';

/** A tensor independent of any runtime: typed data and its dimensions. */
export interface TensorData {
  type: TensorType;
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | string[];
  dims: readonly number[];
}

/** A loaded model, ready to run. Create it once and reuse it. */
export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the model on named input tensors; returns every output by name. */
  run(feeds: Record<string, TensorData>, options?: CallOptions): Promise<Record<string, TensorData>>;
  release(): Promise<void>;
}

/**
 * Creates model sessions from model bytes. `@iac-dharma/models` provides onnxruntime-node (Node) and
 * onnxruntime-web (browser) runtimes that give the same numbers for the same inputs.
 */
export interface ModelRuntime {
  readonly specificationVersion: 'v1';
  readonly name: string;
  createSession(options: { bytes: Uint8Array } & CallOptions): Promise<ModelSession>;
}

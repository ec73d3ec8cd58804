import { z } from 'zod';
import type { TensorData } from '@iac-dharma/core/kernel';

const TYPED_ARRAYS = [Float32Array, Float64Array, Int32Array, BigInt64Array, Uint8Array] as const;

/** A tensor crossing the worker boundary (structured-cloned typed array or string list). */
export const WorkerTensorSchema = z.object({
  type: z.enum(['float32', 'float64', 'int32', 'int64', 'bool', 'string']),
  data: z.custom<TensorData['data']>(
    (value) =>
      TYPED_ARRAYS.some((kind) => value instanceof kind) ||
      (Array.isArray(value) && value.every((item) => typeof item === 'string')),
    'must be a Float32Array, Float64Array, Int32Array, BigInt64Array, Uint8Array or string[]',
  ),
  dims: z.array(z.number().int().nonnegative()),
});

const RequestIdSchema = z.number().int().nonnegative();

/** Messages the page sends to the scoring worker. Validated inside the worker. */
export const ScoringWorkerRequestSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('configure'),
    requestId: RequestIdSchema,
    /** Absolute URL of the folder serving `<id>/model-card.json` and `<id>/model.onnx`. */
    modelBaseUrl: z.string().url().optional(),
    /** Absolute URL prefix (or per-file map) of onnxruntime-web's `.wasm`/`.mjs` files. */
    wasmPaths: z.union([z.string().min(1), z.record(z.string(), z.string())]).optional(),
    numThreads: z.number().int().positive().optional(),
  }),
  z.object({
    type: z.literal('load'),
    requestId: RequestIdSchema,
    id: z.string().min(1),
    /** Pinned Ed25519 public key (PEM or base64 of the 32 raw bytes): the card must be signed by it. */
    publicKey: z.string().min(1).optional(),
  }),
  z.object({ type: z.literal('create-session'), requestId: RequestIdSchema, bytes: z.instanceof(Uint8Array) }),
  z.object({
    type: z.literal('run'),
    requestId: RequestIdSchema,
    sessionId: z.number().int().nonnegative(),
    feeds: z.record(z.string(), WorkerTensorSchema),
  }),
  z.object({ type: z.literal('release'), requestId: RequestIdSchema, sessionId: z.number().int().nonnegative() }),
]);
/** A request to the scoring worker. */
export type ScoringWorkerRequest = z.output<typeof ScoringWorkerRequestSchema>;

/** A session created in the worker: its id there and its tensor names. */
export interface WorkerSessionInfo {
  sessionId: number;
  inputNames: string[];
  outputNames: string[];
}

/** An error thrown in the worker, flattened so it survives `postMessage`. */
export interface SerializedWorkerError {
  name: string;
  code: string;
  message: string;
  issues?: Array<{ path: string; message: string; code: string }>;
}

/** What the worker answers: the result of request `requestId`, or why it failed. */
export type ScoringWorkerResponse =
  { requestId: number; ok: true; result: unknown } | { requestId: number; ok: false; error: SerializedWorkerError };

/** Result of a `load` request: the session plus the model card the worker validated and verified. */
export interface WorkerLoadResult extends WorkerSessionInfo {
  card: unknown;
}

import type { CallOptions, ModelRuntime } from '@iac-dharma/core';
import { createBundledModelSource, createOnnxRuntime } from '#platform';
import { parseModelCard } from '../card/parse-model-card.js';
import { verifyModelBytes } from '../integrity/sha256-hex.js';
import { Model } from './model.js';
import type { ModelSource } from './model-source.js';

/** Load a model by id from a {@link ModelSource} (the bundled artifacts by default). */
export interface LoadModelByIdOptions extends CallOptions {
  /** Model id, e.g. `failure`, `failure-gbm`, `threat`, `churn`. */
  id: string;
  /** Where to read the card and bytes. @default the bundled artifacts of this package */
  source?: ModelSource;
  /** Runtime that creates the session. @default the platform runtime (onnxruntime-node / onnxruntime-web), shared */
  runtime?: ModelRuntime;
}

/** Bring your own model: ONNX bytes plus a model card describing them. */
export interface LoadModelFromBytesOptions extends CallOptions {
  bytes: Uint8Array;
  /** The model card (parsed JSON); validated with `ModelCardSchema`. */
  card: unknown;
  runtime?: ModelRuntime;
}

export type LoadModelOptions = LoadModelByIdOptions | LoadModelFromBytesOptions;

let sharedRuntime: ModelRuntime | undefined;
let sharedSource: ModelSource | undefined;
const sharedModels = new Map<string, Promise<Model>>();

/** The runtime used when none is given: one per process/page. */
export function defaultModelRuntime(): ModelRuntime {
  return (sharedRuntime ??= createOnnxRuntime());
}

/**
 * Loads and verifies a model: validates its card, checks the bytes' size and sha256 (WebCrypto) BEFORE
 * creating the session (`ModelIntegrityError` on mismatch), then creates one session.
 * With the default source and runtime, models are cached by id, so analyzers share one session.
 */
export async function loadModel(options: LoadModelOptions): Promise<Model> {
  if ('bytes' in options) {
    const card = parseModelCard(options.card);
    return createModel(card, options.bytes, options.runtime ?? defaultModelRuntime(), options);
  }
  const { id } = options;
  if (options.source || options.runtime) {
    return loadFromSource(id, options.source ?? defaultSource(), options.runtime ?? defaultModelRuntime(), options);
  }
  let cached = sharedModels.get(id);
  if (!cached) {
    cached = loadFromSource(id, defaultSource(), defaultModelRuntime(), {}, () => sharedModels.delete(id));
    sharedModels.set(id, cached);
    cached.catch(() => sharedModels.delete(id));
  }
  return cached;
}

function defaultSource(): ModelSource {
  return (sharedSource ??= createBundledModelSource());
}

async function loadFromSource(id: string, source: ModelSource, runtime: ModelRuntime, call: CallOptions, onRelease?: () => void): Promise<Model> {
  const card = parseModelCard(await source.readCard(id, call), `model card "${id}"`);
  const bytes = await source.readFile(id, card.file, call);
  return createModel(card, bytes, runtime, call, onRelease);
}

async function createModel(card: ReturnType<typeof parseModelCard>, bytes: Uint8Array, runtime: ModelRuntime, call: CallOptions, onRelease?: () => void): Promise<Model> {
  await verifyModelBytes(bytes, card);
  const session = await runtime.createSession({ bytes, ...(call.signal ? { signal: call.signal } : {}) });
  return new Model(card, session, onRelease);
}

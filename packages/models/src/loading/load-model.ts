import type { CallOptions, ModelRuntime } from '@iac-dharma/core/kernel';
import { createBundledModelSource, createOnnxRuntime } from '#platform';
import type { ModelCard } from '../card/model-card-schema.js';
import { parseModelCard } from '../card/parse-model-card.js';
import { checkPinnedDigest } from '../integrity/artifact-digests.js';
import { verifyModelCardSignature, type ModelPublicKey } from '../integrity/card-signature.js';
import { checkCardDigest, sha256Hex } from '../integrity/sha256-hex.js';
import { prepareModelRuntime } from '../runtime/ort-model-runtime.js';
import { Model } from './model.js';
import { MODEL_CARD_FILE, type ModelSource } from './model-source.js';

/** Load a model by id from a {@link ModelSource} (the bundled artifacts by default). */
export interface LoadModelByIdOptions extends CallOptions {
  /** Model id, e.g. `failure`, `failure-gbm`, `threat`, `churn`. */
  id: string;
  /** Where to read the card and bytes. @default the bundled artifacts of this package */
  source?: ModelSource;
  /** Runtime that creates the session. @default the platform runtime (onnxruntime-node / onnxruntime-web), shared */
  runtime?: ModelRuntime;
  /**
   * Pinned Ed25519 public key: the card must carry a valid signature by it (`ModelSignatureError` otherwise).
   * @default no key: cards need no signature
   */
  publicKey?: ModelPublicKey;
}

/** Bring your own model: ONNX bytes plus a model card describing them. */
export interface LoadModelFromBytesOptions extends CallOptions {
  bytes: Uint8Array;
  /** The model card (parsed JSON); validated with `ModelCardSchema`. */
  card: unknown;
  runtime?: ModelRuntime;
  /** Pinned Ed25519 public key: the card must carry a valid signature by it. @default no key */
  publicKey?: ModelPublicKey;
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
 * creating the session (`ModelIntegrityError` on mismatch), then creates one session. A source that pins
 * digests (the bundled artifacts: compiled into this package) must give exactly those bytes, card included
 * (`ModelDigestMismatchError`), and with `publicKey` the card must be signed by that key (`ModelSignatureError`).
 * With the default source and runtime and no key, models are cached by id, so analyzers share one session.
 */
export async function loadModel(options: LoadModelOptions): Promise<Model> {
  if ('bytes' in options) {
    const card = parseModelCard(options.card);
    return createModel(
      { card, raw: options.card, bytes: options.bytes, publicKey: options.publicKey },
      options.runtime ?? defaultModelRuntime(),
      options,
    );
  }
  const { id } = options;
  if (options.source || options.runtime || options.publicKey) {
    return loadFromSource(
      id,
      options.source ?? defaultSource(),
      options.runtime ?? defaultModelRuntime(),
      options,
      options.publicKey,
    );
  }
  let cached = sharedModels.get(id);
  if (!cached) {
    cached = loadFromSource(id, defaultSource(), defaultModelRuntime(), {}, undefined, () => sharedModels.delete(id));
    sharedModels.set(id, cached);
    cached.catch(() => sharedModels.delete(id));
  }
  return cached;
}

function defaultSource(): ModelSource {
  return (sharedSource ??= createBundledModelSource());
}

async function loadFromSource(
  id: string,
  source: ModelSource,
  runtime: ModelRuntime,
  call: CallOptions,
  publicKey?: ModelPublicKey,
  onRelease?: () => void,
): Promise<Model> {
  // Start the runtime (onnxruntime's module, WebAssembly and execution provider) while the card and the model
  // download, not after them; createSession then waits for the same start-up.
  void prepareModelRuntime(runtime);
  // A source that pins this model's digests gets its card read as bytes and checked before it is even parsed.
  let raw: unknown;
  if (source.digests?.[id] !== undefined) {
    const cardBytes = await source.readFile(id, MODEL_CARD_FILE, call);
    checkPinnedDigest(source.digests, id, MODEL_CARD_FILE, await sha256Hex(cardBytes), source.name);
    raw = JSON.parse(new TextDecoder().decode(cardBytes)) as unknown;
  } else {
    raw = await source.readCard(id, call);
  }
  const card = parseModelCard(raw, `model card "${id}"`);
  const bytes = await source.readFile(id, card.file, call);
  return createModel({ card, raw, bytes, publicKey, pinned: { source, id } }, runtime, call, onRelease);
}

interface ModelToCreate {
  card: ModelCard;
  /** The card as read (JSON), what a signature covers. */
  raw: unknown;
  bytes: Uint8Array;
  publicKey: ModelPublicKey | undefined;
  /** Where the model came from, to check the digests the source pins (its card was checked already). */
  pinned?: { source: ModelSource; id: string };
}

async function createModel(
  model: ModelToCreate,
  runtime: ModelRuntime,
  call: CallOptions,
  onRelease?: () => void,
): Promise<Model> {
  const { card, bytes, pinned } = model;
  const actual = await sha256Hex(bytes);
  // The compiled digest before the card's: model bytes swapped under an intact card are reported as a substitution.
  if (pinned) checkPinnedDigest(pinned.source.digests, pinned.id, card.file, actual, pinned.source.name);
  checkCardDigest(bytes.byteLength, actual, card);
  if (model.publicKey !== undefined) await verifyModelCardSignature(model.raw, model.publicKey, card.id);
  const session = await runtime.createSession({ bytes, ...(call.signal ? { signal: call.signal } : {}) });
  return new Model(card, session, onRelease);
}

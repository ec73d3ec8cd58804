import type { ModelRuntime } from '@iac-dharma/core/kernel';
import type { ModelPublicKey } from '../integrity/card-signature.js';
import { loadModel } from '../loading/load-model.js';
import type { Model } from '../loading/model.js';
import type { ModelSource } from '../loading/model-source.js';

/** How an analyzer gets its model: a loaded {@link Model}, a promise of one, or a model id to load. */
export type ModelReference = Model | Promise<Model> | string;

/** Model options shared by the analyzers. */
export interface ModelOptions {
  /** The model, or the id of a model to load from `source`. */
  model?: ModelReference;
  /** Where to load a model given by id. @default the bundled artifacts */
  source?: ModelSource;
  /** Runtime for a model given by id. @default the platform runtime */
  runtime?: ModelRuntime;
  /** Pinned Ed25519 public key for a model given by id: its card must be signed by it. @default no key */
  publicKey?: ModelPublicKey;
}

/** Resolves a {@link ModelReference} once and remembers it (a failed load is retried on the next call). */
export function lazyModel(options: ModelOptions, defaultId: string): () => Promise<Model> {
  let pending: Promise<Model> | undefined;
  return () => {
    if (!pending) {
      const reference = options.model ?? defaultId;
      pending =
        typeof reference === 'string'
          ? loadModel({
              id: reference,
              ...(options.source ? { source: options.source } : {}),
              ...(options.runtime ? { runtime: options.runtime } : {}),
              ...(options.publicKey ? { publicKey: options.publicKey } : {}),
            })
          : Promise.resolve(reference);
      pending.catch(() => (pending = undefined));
    }
    return pending;
  };
}

/** Severity for a probability: ≥ 0.9 high, ≥ 0.7 medium, else low. */
export function severityFor(probability: number): 'low' | 'medium' | 'high' {
  return probability >= 0.9 ? 'high' : probability >= 0.7 ? 'medium' : 'low';
}

import {
  ModelIntegrityError,
  ValidationError,
  type CallOptions,
  type ModelRuntime,
  type ModelSession,
} from '@iac-dharma/core/kernel';
import {
  checkPinnedDigest,
  defaultModelRuntime,
  prepareModelRuntime,
  sha256Hex,
  verifyModelCardSignature,
  type ModelPublicKey,
  type ModelSource,
} from '@iac-dharma/models';
import { defaultEncoderSource } from '#platform';
import { WordPieceTokenizer } from './wordpiece-tokenizer.js';

/** The bundled sentence encoder: all-MiniLM-L6-v2, int8-quantised ONNX (384 dimensions). */
export const DEFAULT_ENCODER_ID = 'minilm';

const ENCODER_CARD_FILE = 'encoder-card.json';

/** The card of a sentence encoder (`<id>/encoder-card.json`). */
export interface EncoderCard {
  id: string;
  name: string;
  dimensions: number;
  maxTokens: number;
  tokenizer: { type: 'wordpiece'; lowercase: boolean; vocabulary: string };
  sha256: Record<string, string>;
}

/** Options of {@link SentenceEncoder.load}. */
export interface LoadSentenceEncoderOptions extends CallOptions {
  /** Encoder id in the source. @default 'minilm' */
  id?: string;
  /** Where the card, model and vocabulary come from. @default this package's artifacts (Node) / `models/` next to the page (browser) */
  source?: ModelSource;
  /** The ONNX runtime. @default the shared onnxruntime-node (Node) / onnxruntime-web (browser) runtime */
  runtime?: ModelRuntime;
  /** Pinned Ed25519 public key: `encoder-card.json` must carry a valid signature by it. @default no key */
  publicKey?: ModelPublicKey;
}

/**
 * A BERT-family sentence encoder in ONNX with its WordPiece tokenizer: text in, L2-normalised embedding out
 * (cosine similarity = dot product). The same in Node and browsers.
 */
export class SentenceEncoder {
  private constructor(
    /** The encoder's card. */
    readonly card: EncoderCard,
    /** The tokenizer (same ids as the reference tokenizer). */
    readonly tokenizer: WordPieceTokenizer,
    private readonly session: ModelSession,
  ) {}

  /** Loads the encoder: reads its card, checks the model's and vocabulary's sha256, creates one session. */
  static async load(options: LoadSentenceEncoderOptions = {}): Promise<SentenceEncoder> {
    const id = options.id ?? DEFAULT_ENCODER_ID;
    const source = options.source ?? defaultEncoderSource();
    const runtime = options.runtime ?? defaultModelRuntime();
    // Start the runtime (onnxruntime's module and WebAssembly) while the card, model and vocabulary download.
    void prepareModelRuntime(runtime);
    const cardBytes = await source.readFile(id, ENCODER_CARD_FILE, options);
    // The digests the source pins (compiled into the package for the bundled encoder), whatever the card says: the card first.
    checkPinnedDigest(source.digests, id, ENCODER_CARD_FILE, await sha256Hex(cardBytes), source.name);
    const card = JSON.parse(new TextDecoder().decode(cardBytes)) as EncoderCard;
    if (typeof card.dimensions !== 'number' || card.tokenizer?.type !== 'wordpiece') {
      throw new ValidationError(`encoder "${id}": encoder-card.json lacks dimensions or a wordpiece tokenizer`, [
        { path: 'card', message: 'not an encoder card', code: 'custom' },
      ]);
    }
    const [model, vocabulary] = await Promise.all([
      source.readFile(id, 'model.onnx', options),
      source.readFile(id, card.tokenizer.vocabulary, options),
    ]);
    const files = [
      ['model.onnx', model],
      [card.tokenizer.vocabulary, vocabulary],
    ] as const;
    const digests = await Promise.all(files.map(([, bytes]) => sha256Hex(bytes)));
    files.forEach(([file], index) => checkPinnedDigest(source.digests, id, file, digests[index]!, source.name));
    if (options.publicKey !== undefined) await verifyModelCardSignature(card, options.publicKey, id);
    files.forEach(([file], index) => {
      const expected = card.sha256?.[file];
      const actual = digests[index]!;
      // A signed card must name the digest of every file it vouches for.
      if ((expected && actual !== expected) || (!expected && options.publicKey !== undefined)) {
        throw new ModelIntegrityError(
          `encoder "${id}": ${file} has sha256 ${actual}, but encoder-card.json says ${expected ?? 'nothing'}; reinstall the package or re-export the encoder.`,
        );
      }
    });
    const tokenizer = new WordPieceTokenizer(new TextDecoder().decode(vocabulary), {
      lowercase: card.tokenizer.lowercase,
      maxLength: card.maxTokens,
    });
    const session = await runtime.createSession({
      bytes: model,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return new SentenceEncoder(card, tokenizer, session);
  }

  /** Length of an embedding. */
  get dimensions(): number {
    return this.card.dimensions;
  }

  /** Embeds texts (padded together in one batch); each embedding has unit length. */
  async embed(texts: readonly string[], options: CallOptions = {}): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const encoded = texts.map((text) => this.tokenizer.encode(text).ids);
    const length = Math.max(...encoded.map((ids) => ids.length));
    const ids = new BigInt64Array(texts.length * length);
    const mask = new BigInt64Array(texts.length * length);
    encoded.forEach((row, index) => {
      row.forEach((id, position) => {
        ids[index * length + position] = BigInt(id);
        mask[index * length + position] = 1n;
      });
    });
    const dims = [texts.length, length];
    const outputs = await this.session.run(
      { input_ids: { type: 'int64', data: ids, dims }, attention_mask: { type: 'int64', data: mask, dims } },
      options,
    );
    const data = outputs['embedding']!.data as Float32Array;
    return texts.map((_, index) => data.slice(index * this.dimensions, (index + 1) * this.dimensions));
  }

  /** Releases the ONNX session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}

/** Cosine similarity of two unit-length embeddings (their dot product). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index += 1) sum += a[index]! * b[index]!;
  return sum;
}

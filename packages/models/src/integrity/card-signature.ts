import { ModelIntegrityError, canonicalJson } from '@iac-dharma/core/kernel';

/**
 * A pinned Ed25519 public key: a WebCrypto `CryptoKey`, a PEM `-----BEGIN PUBLIC KEY-----` (SPKI) text, the
 * base64 of the 32 raw key bytes, or those bytes (32 raw or SPKI DER).
 */
export type ModelPublicKey = CryptoKey | string | Uint8Array;

/** An Ed25519 private key that signs cards: a WebCrypto `CryptoKey` or a PEM `-----BEGIN PRIVATE KEY-----` (PKCS #8) text. */
export type ModelPrivateKey = CryptoKey | string;

/** The `signature` member of a signed card. */
export interface CardSignature {
  algorithm: 'Ed25519';
  /** Base64 Ed25519 signature of the card's canonical JSON without its `signature` member. */
  value: string;
}

/** Why a card was refused under a pinned key. */
export type CardSignatureProblem = 'unsigned' | 'invalid' | 'malformed';

/**
 * A public key is pinned and the model's card is unsigned, signed by another key, altered after signing, or
 * carries a malformed signature. Code `MODEL_INTEGRITY_ERROR`.
 */
export class ModelSignatureError extends ModelIntegrityError {
  /** Id of the refused model. */
  readonly modelId: string;
  /** What was wrong. */
  readonly problem: CardSignatureProblem;

  constructor(modelId: string, problem: CardSignatureProblem, detail: string) {
    super(`Model "${modelId}" was refused: ${detail}`);
    this.name = 'ModelSignatureError';
    this.modelId = modelId;
    this.problem = problem;
  }
}

function subtle(): SubtleCrypto {
  const crypto = globalThis.crypto?.subtle;
  if (!crypto)
    throw new ModelIntegrityError(
      'WebCrypto (crypto.subtle) is not available: model cards cannot be verified. Serve the page over HTTPS or localhost.',
    );
  return crypto;
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/\s+/g, ''));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function pemBody(pem: string, label: string): Uint8Array<ArrayBuffer> | undefined {
  const match = new RegExp(`-----BEGIN ${label}-----([^-]+)-----END ${label}-----`).exec(pem);
  return match ? fromBase64(match[1]!) : undefined;
}

/** Imports a pinned public key for `crypto.subtle.verify('Ed25519', …)`. Throws `ModelIntegrityError` when it is not an Ed25519 key. */
export async function importModelPublicKey(key: ModelPublicKey): Promise<CryptoKey> {
  if (typeof key !== 'string' && !(key instanceof Uint8Array)) return key;
  try {
    const bytes =
      typeof key === 'string' ? (pemBody(key, 'PUBLIC KEY') ?? fromBase64(key.trim())) : new Uint8Array(key);
    const format = bytes.byteLength === 32 ? 'raw' : 'spki';
    return await subtle().importKey(format, bytes, { name: 'Ed25519' }, false, ['verify']);
  } catch (error) {
    throw new ModelIntegrityError(
      'The pinned model public key is not an Ed25519 key (expected PEM "PUBLIC KEY", or base64 of 32 raw bytes).',
      { cause: error },
    );
  }
}

async function importPrivateKey(key: ModelPrivateKey): Promise<CryptoKey> {
  if (typeof key !== 'string') return key;
  const der = pemBody(key, 'PRIVATE KEY');
  if (!der)
    throw new ModelIntegrityError(
      'The signing key is not a PEM "PRIVATE KEY" (PKCS #8), e.g. from `openssl genpkey -algorithm ed25519`.',
    );
  try {
    return await subtle().importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
  } catch (error) {
    throw new ModelIntegrityError('The signing key is not an Ed25519 private key.', { cause: error });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The bytes a card signature covers: the canonical JSON (keys sorted, no whitespace) of the card without `signature`, UTF-8. */
export function cardSigningPayload(card: Record<string, unknown>): Uint8Array<ArrayBuffer> {
  const { signature: _signature, ...rest } = card;
  return new TextEncoder().encode(canonicalJson(rest)) as Uint8Array<ArrayBuffer>;
}

/**
 * Signs a model card (parsed JSON, e.g. a `model-card.json` or `encoder-card.json`): returns a copy with a
 * `signature` member (Ed25519 over {@link cardSigningPayload}). The card's `sha256` (the model digest) is
 * covered, so a signed card pins the model bytes too.
 */
export async function signModelCard<T extends Record<string, unknown>>(
  card: T,
  privateKey: ModelPrivateKey,
): Promise<T & { signature: CardSignature }> {
  const key = await importPrivateKey(privateKey);
  const signature = new Uint8Array(await subtle().sign({ name: 'Ed25519' }, key, cardSigningPayload(card)));
  const { signature: _previous, ...rest } = card;
  return { ...(rest as T), signature: { algorithm: 'Ed25519', value: toBase64(signature) } };
}

/**
 * Verifies a card's Ed25519 signature with the pinned public key (WebCrypto). Throws {@link ModelSignatureError}
 * when the card is unsigned, malformed or not signed by that key (or was altered after signing).
 */
export async function verifyModelCardSignature(
  card: unknown,
  publicKey: ModelPublicKey,
  modelId: string,
): Promise<void> {
  if (!isRecord(card)) throw new ModelSignatureError(modelId, 'malformed', 'its card is not a JSON object.');
  const signature = card['signature'];
  if (signature === undefined) {
    throw new ModelSignatureError(
      modelId,
      'unsigned',
      'its card is not signed, but a public key is pinned. Sign it with `dharma sign-model` (or signModelCard).',
    );
  }
  if (!isRecord(signature) || signature['algorithm'] !== 'Ed25519' || typeof signature['value'] !== 'string') {
    throw new ModelSignatureError(
      modelId,
      'malformed',
      'card.signature must be { "algorithm": "Ed25519", "value": "<base64>" }.',
    );
  }
  const key = await importModelPublicKey(publicKey);
  let valid = false;
  try {
    valid = await subtle().verify({ name: 'Ed25519' }, key, fromBase64(signature['value']), cardSigningPayload(card));
  } catch {
    valid = false;
  }
  if (!valid)
    throw new ModelSignatureError(
      modelId,
      'invalid',
      'its card signature does not verify with the pinned public key: the card was altered after signing, or signed with another key.',
    );
}

import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ModelIntegrityError, type ModelRuntime } from '@iac-dharma/core';
import { loadModel } from '../loading/load-model.js';
import { createBundledModelSource } from '#platform';
import { ModelSignatureError, cardSigningPayload, signModelCard, verifyModelCardSignature } from './card-signature.js';
import { sha256Hex } from './sha256-hex.js';

const artifacts = new URL('../../artifacts/', import.meta.url);
const readCard = (id: string) =>
  JSON.parse(readFileSync(new URL(`${id}/model-card.json`, artifacts), 'utf8')) as Record<string, unknown>;
const readBytes = (id: string) => new Uint8Array(readFileSync(new URL(`${id}/model.onnx`, artifacts)));

/** An Ed25519 key pair as PEM texts, the way `openssl genpkey -algorithm ed25519` writes them. */
function pemKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    rawPublicKey: Buffer.from(publicKey.export({ format: 'der', type: 'spki' }))
      .subarray(-32)
      .toString('base64'),
  };
}

function countingRuntime(): ModelRuntime & { sessions: number } {
  const runtime = {
    specificationVersion: 'v1' as const,
    name: 'counting',
    sessions: 0,
    async createSession() {
      runtime.sessions++;
      return { inputNames: ['input'], outputNames: ['output'], run: async () => ({}), release: async () => {} };
    },
  };
  return runtime;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('signed model cards with a pinned Ed25519 public key', () => {
  const keys = pemKeys();
  const other = pemKeys();

  it('signs the canonical JSON without the signature: key order and an old signature do not matter', async () => {
    const card = readCard('churn');
    const signed = await signModelCard(card, keys.privateKey);
    expect(signed.signature).toMatchObject({
      algorithm: 'Ed25519',
      value: expect.stringMatching(/^[A-Za-z0-9+/]{86}==$/),
    });
    const reordered = Object.fromEntries(Object.entries(signed).reverse());
    expect(cardSigningPayload(reordered)).toEqual(cardSigningPayload(card));
    await expect(verifyModelCardSignature(reordered, keys.publicKey, 'churn')).resolves.toBeUndefined();
    const resigned = await signModelCard(signed, other.privateKey);
    await expect(verifyModelCardSignature(resigned, other.publicKey, 'churn')).resolves.toBeUndefined();
  });

  it('loads a validly signed model with the key as PEM, as raw base64 and as a CryptoKey', async () => {
    const card = await signModelCard(readCard('churn'), keys.privateKey);
    const runtime = countingRuntime();
    const cryptoKey = await crypto.subtle.importKey(
      'spki',
      new Uint8Array(Buffer.from(keys.publicKey.replace(/-----[^-]+-----|\s/g, ''), 'base64')),
      { name: 'Ed25519' },
      false,
      ['verify'],
    );
    for (const publicKey of [keys.publicKey, keys.rawPublicKey, cryptoKey]) {
      const model = await loadModel({ bytes: readBytes('churn'), card, runtime, publicKey });
      expect(model.card.id).toBe('churn');
    }
    expect(runtime.sessions).toBe(3);
  });

  it('refuses an unsigned card when a key is pinned (and loads it when none is)', async () => {
    const runtime = countingRuntime();
    const error = await failure(
      loadModel({ bytes: readBytes('churn'), card: readCard('churn'), runtime, publicKey: keys.publicKey }),
    );
    expect(error).toBeInstanceOf(ModelSignatureError);
    expect(error).toBeInstanceOf(ModelIntegrityError);
    expect(error).toMatchObject({ code: 'MODEL_INTEGRITY_ERROR', modelId: 'churn', problem: 'unsigned' });
    expect(runtime.sessions).toBe(0);
    await loadModel({ bytes: readBytes('churn'), card: readCard('churn'), runtime });
    expect(runtime.sessions).toBe(1);
  });

  it('refuses a card altered after signing, and one signed by another key', async () => {
    const signed = await signModelCard(readCard('churn'), keys.privateKey);
    const tampered = { ...signed, labels: [...(signed['labels'] as string[])].reverse() };
    const runtime = countingRuntime();
    await expect(
      loadModel({ bytes: readBytes('churn'), card: tampered, runtime, publicKey: keys.publicKey }),
    ).rejects.toMatchObject({ name: 'ModelSignatureError', problem: 'invalid' });
    const foreign = await signModelCard(readCard('churn'), other.privateKey);
    await expect(
      loadModel({ bytes: readBytes('churn'), card: foreign, runtime, publicKey: keys.publicKey }),
    ).rejects.toThrow(/does not verify with the pinned public key/);
    expect(runtime.sessions).toBe(0);
  });

  it('covers the model digest: other bytes with a card re-pointed at them need a new signature', async () => {
    const signed = await signModelCard(readCard('churn'), keys.privateKey);
    const bytes = readBytes('threat');
    const swapped = { ...signed, sha256: await sha256Hex(bytes), bytes: bytes.byteLength };
    await expect(
      loadModel({ bytes, card: swapped, runtime: countingRuntime(), publicKey: keys.publicKey }),
    ).rejects.toMatchObject({ problem: 'invalid' });
  });

  it('refuses a malformed signature and a key that is not Ed25519', async () => {
    const card = { ...readCard('churn'), signature: { algorithm: 'RSA', value: 'AAAA' } };
    await expect(verifyModelCardSignature(card, keys.publicKey, 'churn')).rejects.toMatchObject({
      problem: 'malformed',
    });
    const signed = await signModelCard(readCard('churn'), keys.privateKey);
    await expect(verifyModelCardSignature(signed, 'not a key', 'churn')).rejects.toThrow(/not an Ed25519 key/);
    await expect(signModelCard(readCard('churn'), keys.publicKey)).rejects.toThrow(/PRIVATE KEY/);
  });

  it('the bundled models are unsigned: pinning a key refuses them by id too', async () => {
    const error = await failure(
      loadModel({
        id: 'threat',
        source: createBundledModelSource(),
        runtime: countingRuntime(),
        publicKey: keys.publicKey,
      }),
    );
    expect(error).toMatchObject({ name: 'ModelSignatureError', modelId: 'threat', problem: 'unsigned' });
  });
});

import { createHash, generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyModelCardSignature } from '@iac-dharma/models';
import { cardOf, parityOf, readCsv, runCli, temporaryFolder } from '../io/run-cli.test-support.js';

const ARTIFACTS = fileURLToPath(new URL('../../../models/artifacts/', import.meta.url));

function writeKeys(folder: string, name: string): { privatePath: string; publicPath: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privatePath = join(folder, `${name}.pem`);
  const publicPath = join(folder, `${name}.pub.pem`);
  writeFileSync(privatePath, privateKey.export({ format: 'pem', type: 'pkcs8' }));
  writeFileSync(publicPath, publicKey.export({ format: 'pem', type: 'spki' }));
  return { privatePath, publicPath };
}

describe('dharma sign-model and --model-key (child process)', () => {
  it('scores with a signed model under the pinned key; refuses unsigned, tampered and foreign-signed cards', async () => {
    const folder = temporaryFolder();
    const models = join(folder, 'models');
    mkdirSync(join(models, 'churn'), { recursive: true });
    for (const file of ['model-card.json', 'model.onnx'])
      copyFileSync(join(ARTIFACTS, 'churn', file), join(models, 'churn', file));
    const keys = writeKeys(folder, 'signing');
    const stranger = writeKeys(folder, 'stranger');
    const names = cardOf('churn').features.map((feature) => feature.name);
    const rows = parityOf('churn').rows.slice(0, 3);
    const input = join(folder, 'customers.csv');
    writeFileSync(
      input,
      `${['customerID', ...names].join(',')}\n${rows.map((row, index) => [`C-${index}`, ...names.map((name) => String((row.raw as Record<string, unknown>)[name]))].join(',')).join('\n')}\n`,
    );
    const out = join(folder, 'churn.csv');
    const score = (key: string) =>
      runCli(['churn', '--input', input, '--out', out, '--model-dir', models, '--model', 'churn', '--model-key', key]);

    const unsigned = await score(keys.publicPath);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toContain('Model "churn" was refused: its card is not signed, but a public key is pinned');

    const signing = await runCli(['sign-model', '--key', keys.privatePath, '--model-dir', models, '--model', 'churn']);
    expect(signing.stderr).toContain('signed');
    expect(signing.code).toBe(0);
    const cardPath = join(models, 'churn', 'model-card.json');
    const signed = JSON.parse(readFileSync(cardPath, 'utf8')) as {
      signature: { algorithm: string; value: string };
      description: string;
    };
    expect(signed.signature.algorithm).toBe('Ed25519');

    const accepted = await score(keys.publicPath);
    expect(accepted.stderr).toContain('scored 3 rows');
    expect(accepted.code).toBe(0);
    expect(readCsv(out)).toHaveLength(4);

    const foreign = await score(stranger.publicPath);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain('does not verify with the pinned public key');

    writeFileSync(cardPath, JSON.stringify({ ...signed, description: `${signed.description} (edited)` }));
    const tampered = await score(keys.publicPath);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain('does not verify with the pinned public key');
  });

  it('refuses to sign a card that does not describe the bytes next to it; a missing --key is a usage error', async () => {
    const folder = temporaryFolder();
    const models = join(folder, 'models');
    mkdirSync(join(models, 'churn'), { recursive: true });
    copyFileSync(join(ARTIFACTS, 'churn', 'model-card.json'), join(models, 'churn', 'model-card.json'));
    copyFileSync(join(ARTIFACTS, 'threat', 'model.onnx'), join(models, 'churn', 'model.onnx'));
    const keys = writeKeys(folder, 'signing');
    const before = readFileSync(join(models, 'churn', 'model-card.json'), 'utf8');
    const mismatch = await runCli(['sign-model', '--key', keys.privatePath, '--model-dir', models, '--model', 'churn']);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(/model\.onnx has sha256 [0-9a-f]{64} .* fix the card before signing it/);
    expect(readFileSync(join(models, 'churn', 'model-card.json'), 'utf8')).toBe(before);
    const usage = await runCli(['sign-model', '--model-dir', models, '--model', 'churn']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--key is required');
  });

  it('signs an encoder card, which vouches for the model and the vocabulary', async () => {
    const folder = temporaryFolder();
    const encoder = join(folder, 'models', 'my-encoder');
    mkdirSync(encoder, { recursive: true });
    const files = { 'model.onnx': 'not really onnx', 'vocab.txt': '[PAD]\n[UNK]\nhello\n' };
    for (const [file, text] of Object.entries(files)) writeFileSync(join(encoder, file), text);
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const card = {
      id: 'my-encoder',
      dimensions: 3,
      tokenizer: { type: 'wordpiece', lowercase: true, vocabulary: 'vocab.txt' },
      sha256: { 'model.onnx': sha(files['model.onnx']), 'vocab.txt': sha(files['vocab.txt']) },
    };
    writeFileSync(join(encoder, 'encoder-card.json'), JSON.stringify(card));
    const keys = writeKeys(folder, 'signing');
    const result = await runCli([
      'sign-model',
      '--key',
      keys.privatePath,
      '--model-dir',
      join(folder, 'models'),
      '--model',
      'my-encoder',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('model.onnx sha256');
    expect(result.stderr).toContain('vocab.txt sha256');
    const signed = JSON.parse(readFileSync(join(encoder, 'encoder-card.json'), 'utf8')) as Record<string, unknown>;
    await expect(
      verifyModelCardSignature(signed, readFileSync(keys.publicPath, 'utf8'), 'my-encoder'),
    ).resolves.toBeUndefined();
    await expect(
      verifyModelCardSignature({ ...signed, dimensions: 4 }, readFileSync(keys.publicPath, 'utf8'), 'my-encoder'),
    ).rejects.toThrow('does not verify');
  });
});

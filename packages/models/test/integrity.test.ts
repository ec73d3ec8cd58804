import { describe, expect, it } from 'vitest';
import { DharmaError, ModelIntegrityError, type ModelRuntime } from '@iac-dharma/core';
import { loadModel, createBundledModelSource, sha256Hex } from '../src/index.js';
import { ARTIFACTS, readBytes, readCard } from './artifacts.js';

/** A runtime that records whether a session was ever requested. */
function spyRuntime(): ModelRuntime & { sessions: number } {
  const runtime = {
    specificationVersion: 'v1' as const,
    name: 'spy',
    sessions: 0,
    async createSession() {
      runtime.sessions++;
      throw new Error('no session expected');
    },
  };
  return runtime;
}

describe('model integrity', () => {
  it('the card sha256 matches the committed bytes', async () => {
    expect(await sha256Hex(readBytes('threat'))).toBe(readCard('threat').sha256);
  });

  it('tampered bytes throw ModelIntegrityError before any session is created', async () => {
    const bytes = readBytes('churn');
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    const runtime = spyRuntime();
    const attempt = loadModel({ bytes, card: readCard('churn'), runtime });
    await expect(attempt).rejects.toBeInstanceOf(ModelIntegrityError);
    await expect(attempt).rejects.toThrow(/sha256 is [0-9a-f]{64}, the card expects/);
    expect(runtime.sessions).toBe(0);
  });

  it('truncated bytes from a source fail the same way', async () => {
    const source = createBundledModelSource({ directory: ARTIFACTS });
    const truncating = {
      ...source,
      readFile: async (id: string, file: string) => (await source.readFile(id, file)).subarray(0, 100),
    };
    const runtime = spyRuntime();
    const error = await loadModel({ id: 'threat', source: truncating, runtime }).catch((caught: unknown) => caught);
    expect(DharmaError.isInstance(error) && error.code).toBe('MODEL_INTEGRITY_ERROR');
    expect(runtime.sessions).toBe(0);
  });

  it('an invalid card names the field', async () => {
    const card = { ...readCard('churn'), encodedWidth: 3 };
    await expect(loadModel({ bytes: readBytes('churn'), card, runtime: spyRuntime() })).rejects.toThrow(/encodedWidth/);
  });
});

import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/engine.js';
import { adaptLogger } from './adapt-logger.js';

/** A pino logger writing JSON lines into an array. */
function capturedPino() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

describe('adaptLogger keeps structured fields with the common loggers', () => {
  it('pino: fields arrive as properties of the log line, the message as msg', () => {
    const { logger, lines } = capturedPino();
    adaptLogger(logger).warn('storage slow', { source: 'storage', latencyMs: 120 });
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, msg: 'storage slow', source: 'storage', latencyMs: 120 }),
    ]);
  });

  it('pino given straight to the engine keeps the fields of a rejected record', async () => {
    const { logger, lines } = capturedPino();
    const engine = createEngine({ logger });
    await engine.ingest([
      { resource: 'web-1', metric: 'cpu', value: 1, timestamp: 1000 },
      { resource: '', metric: 'cpu', value: 1 },
    ]);
    await engine.close();
    const warning = lines.find((line) => line.level === 40);
    expect(warning).toMatchObject({ source: 'ingest', index: 1 });
    expect(String(warning?.msg)).toMatch(/resource/);
  });

  it('console- and winston-style loggers are called (message, fields)', () => {
    const calls: unknown[][] = [];
    const consoleLike = {
      debug: (...args: unknown[]) => calls.push(args),
      info: (...args: unknown[]) => calls.push(args),
      warn: (...args: unknown[]) => calls.push(args),
      error: (...args: unknown[]) => calls.push(args),
    };
    adaptLogger(consoleLike).error('boom', { component: 'x' });
    adaptLogger(consoleLike).info('plain');
    expect(calls).toEqual([['boom', { component: 'x' }], ['plain']]);
  });

  it('honours an explicit call shape', () => {
    const calls: unknown[][] = [];
    const record = (...args: unknown[]) => calls.push(args);
    adaptLogger({ debug: record, info: record, warn: record, error: record }, { callShape: 'fields-first' }).warn('w', {
      a: 1,
    });
    expect(calls).toEqual([[{ a: 1 }, 'w']]);
  });
});

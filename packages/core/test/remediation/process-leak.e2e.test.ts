import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine, MemoryStorage, createRemediator, type RemediationResult } from '@iac-dharma/core';
import { ProcessSupervisor, createProcessPlugin } from '@iac-dharma/core/node';
import { createThresholdAnalyzer } from '@iac-dharma/core/simulator';
import { waitFor } from '@iac-dharma/core/testing';

const script = fileURLToPath(new URL('./fixtures/leaky-server.mjs', import.meta.url));

describe('end to end: a real leaking child process is restarted by the remediator', () => {
  const supervisors: ProcessSupervisor[] = [];
  afterEach(async () => {
    for (const supervisor of supervisors.splice(0)) await supervisor.stop();
  });

  it('samples RSS, detects the leak, restarts the process, verifies RSS is back to normal and records an intact history', async () => {
    const supervisor = new ProcessSupervisor({
      file: process.execPath,
      args: [script],
      stopGraceMs: 2_000,
      readyPattern: /ready/,
    });
    supervisors.push(supervisor);
    const firstPid = await supervisor.start();
    const storage = new MemoryStorage();
    const remediator = createRemediator({
      storage,
      plugins: [createProcessPlugin({ processes: { 'leaky-api': supervisor } })],
      policies: [
        {
          name: 'restart-leaking-process',
          mode: 'enforce',
          match: { kinds: ['anomaly'], metrics: ['rss_mib'] },
          actions: [{ plugin: 'process', action: 'restart' }],
          verify: { windowMs: 20_000, intervalMs: 100, consecutive: 3, healthyBelow: 100 },
        },
      ],
    });
    const engine = new Engine({
      storage,
      analyzers: [createThresholdAnalyzer({ rules: [{ metric: 'rss_mib', above: 150 }] })],
      handlers: [remediator],
      closeAdapters: false,
    });
    const results: RemediationResult[] = [];
    engine.on('remediation', (result) => results.push(result));
    const rssSeen: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const rss = await supervisor.rssBytes();
        if (rss !== undefined) {
          rssSeen.push(rss / 2 ** 20);
          await engine.ingest({ resource: 'leaky-api', metric: 'rss_mib', value: rss / 2 ** 20 });
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    await waitFor(() => rssSeen.length >= 3, { message: 'RSS samples' });
    expect(Math.max(...rssSeen)).toBeLessThan(100);
    supervisor.signal('SIGUSR2'); // poison it: it starts leaking
    const [result] = await waitFor(() => (results.length > 0 ? results : undefined), {
      timeoutMs: 40_000,
      message: 'a remediation result',
    });
    sampling = false;
    await sampler;
    expect(result).toMatchObject({
      outcome: 'succeeded',
      resource: 'leaky-api',
      action: { plugin: 'process', action: 'restart' },
    });
    expect(Math.max(...rssSeen)).toBeGreaterThan(150);
    expect(supervisor.pid).not.toBe(firstPid);
    expect((await supervisor.rssBytes())! / 2 ** 20).toBeLessThan(100);
    const history = await remediator.history({ resource: 'leaky-api' });
    expect(history.map((record) => record.type)).toEqual(['plan', 'decision', 'execution', 'verification', 'outcome']);
    expect(history.find((record) => record.type === 'execution')!.data).toMatchObject({
      ok: true,
      result: { name: 'leaky-api', previousPid: firstPid },
    });
    expect(await remediator.verifyHistory()).toEqual({ ok: true });
    await engine.close();
  });
});

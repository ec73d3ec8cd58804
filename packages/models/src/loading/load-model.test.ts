import { describe, expect, it } from 'vitest';
import type { ModelRuntime } from '@iac-dharma/core';
import { createBundledModelSource, createOnnxRuntime } from '#platform';
import { prepareModelRuntime, type PreparableModelRuntime } from '../runtime/ort-model-runtime.js';
import { loadModel } from './load-model.js';
import type { ModelSource } from './model-source.js';

/** Wraps a runtime and a source so the test sees the order of their steps. */
function recorded(runtime: PreparableModelRuntime, hold?: (file: string) => Promise<void>) {
  const events: string[] = [];
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const bundled = createBundledModelSource();
  const source: ModelSource = {
    name: 'recorded',
    readCard: (id, call) => bundled.readCard(id, call),
    async readFile(id, file, call) {
      events.push(`read ${file}`);
      await hold?.(file);
      const bytes = await bundled.readFile(id, file, call);
      events.push(`read ${file} done`);
      return bytes;
    },
  };
  const wrapped: PreparableModelRuntime = {
    specificationVersion: 'v1',
    name: runtime.name,
    prepare() {
      events.push('runtime start');
      return runtime.prepare().then(() => {
        events.push('runtime ready');
        resolveReady();
      });
    },
    createSession(options) {
      events.push('create session');
      return runtime.createSession(options);
    },
  };
  return { events, source, runtime: wrapped, ready };
}

describe('loadModel starts the runtime while the model downloads', () => {
  it('begins the runtime start-up before the model bytes arrive', async () => {
    const { events, source, runtime } = recorded(createOnnxRuntime({ backend: 'wasm' }));
    const model = await loadModel({ id: 'churn', source, runtime });
    await model.release();
    expect(events.indexOf('runtime start')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('runtime start')).toBeLessThan(events.indexOf('read model.onnx done'));
    expect(events.indexOf('create session')).toBeGreaterThan(events.indexOf('read model.onnx done'));
  });

  it('has onnxruntime-web (WebAssembly) ready while the model bytes are still held back', async () => {
    // The source gives the model only once the runtime says it is ready: a load that starts the runtime after
    // the download would wait forever, so the hold gives up at a deadline.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('the runtime did not start while the model bytes were held back')),
        30_000,
      );
    });
    let ready: Promise<void> = Promise.resolve();
    const setup = recorded(createOnnxRuntime({ backend: 'wasm' }), (file) =>
      file === 'model.onnx' ? Promise.race([ready, deadline]) : Promise.resolve(),
    );
    ready = setup.ready;
    try {
      const model = await loadModel({ id: 'churn', source: setup.source, runtime: setup.runtime });
      await model.release();
    } finally {
      clearTimeout(timer);
    }
    expect(setup.events.indexOf('runtime ready')).toBeLessThan(setup.events.indexOf('read model.onnx done'));
  }, 60_000);

  it('prepare() can be called again, and a runtime without prepare() is left alone', async () => {
    const runtime = createOnnxRuntime({ backend: 'wasm' });
    await Promise.all([runtime.prepare(), runtime.prepare()]);
    await runtime.prepare();
    const plain: ModelRuntime = {
      specificationVersion: 'v1',
      name: 'plain',
      createSession: () => Promise.reject(new Error('unused')),
    };
    await expect(prepareModelRuntime(plain)).resolves.toBeUndefined();
  });
});

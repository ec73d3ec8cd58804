import type { ModelRuntime } from '@iac-dharma/core';
import { createOrtModelRuntime, type OrtModuleLike, type OrtRuntimeOptions } from '../../runtime/ort-model-runtime.js';

/** Options of the Node runtime (onnxruntime-node, CPU). */
export interface OnnxRuntimeOptions extends OrtRuntimeOptions {
  /** Threads used inside one operator. Small tree models are fastest single-threaded. @default 1 */
  intraOpNumThreads?: number;
  /** Threads used across operators. @default 1 */
  interOpNumThreads?: number;
}

/**
 * Creates a `ModelRuntime` backed by onnxruntime-node (an optional peer dependency, loaded on first use).
 * Sessions run on the CPU execution provider.
 */
export function createOnnxRuntime(options: OnnxRuntimeOptions = {}): ModelRuntime {
  return createOrtModelRuntime(
    'onnxruntime-node',
    async () => {
      try {
        const module = await import('onnxruntime-node');
        return ((module as { default?: unknown }).default ?? module) as unknown as OrtModuleLike;
      } catch (error) {
        throw new Error('onnxruntime-node is not installed: run `npm install onnxruntime-node`.', { cause: error });
      }
    },
    {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: options.intraOpNumThreads ?? 1,
      interOpNumThreads: options.interOpNumThreads ?? 1,
      ...options.sessionOptions,
    },
  );
}

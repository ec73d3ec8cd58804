import { createBundledModelSource, loadModel, type Model, type ModelSource } from '@iac-dharma/models';

/** Whether a bundled model could be loaded, and why not. */
export type ModelStatus =
  { id: string; ready: true; model: Model; source: ModelSource } | { id: string; ready: false; reason: string };

/**
 * Loads a model (verifying its sha256) from `directory` or the bundled artifacts. A missing artifact is
 * not an error for the demo: the analyzer is left out and the summary says so — nothing is faked.
 */
export async function loadDemoModel(id: string, directory?: string): Promise<ModelStatus> {
  const source = createBundledModelSource(directory ? { directory } : {});
  try {
    return { id, ready: true, model: await loadModel({ id, source }), source };
  } catch (error) {
    return { id, ready: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

import { createBundledModelSource, loadModel, type Model } from '@iac-dharma/models';

/** The `--model` / `--model-dir` options every scoring command accepts. */
export const modelOptions = {
  model: { type: 'string' },
  'model-dir': { type: 'string' },
} as const;

/** Usage lines for {@link modelOptions}. */
export const modelUsage = `  --model <id>        model id to use (default: %DEFAULT%; bundled alternatives: failure-lstm, threat-rf)
  --model-dir <dir>   folder with <id>/model-card.json + <id>/model.onnx (bring your own model; default: the bundled artifacts)`;

/** Loads the model the options name (verified against its card's sha256). */
export async function loadCommandModel(values: Record<string, string | boolean | undefined>, defaultId: string): Promise<Model> {
  const id = typeof values['model'] === 'string' ? values['model'] : defaultId;
  const directory = values['model-dir'];
  return loadModel(typeof directory === 'string' ? { id, source: createBundledModelSource({ directory }) } : { id });
}

/** Reads a required string option or throws a usage error naming it. */
export function requireOption(values: Record<string, string | boolean | undefined>, name: string, usage: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required.\n\n${usage}`);
  return value;
}

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

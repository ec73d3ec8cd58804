import { readFileSync } from 'node:fs';
import { createBundledModelSource, loadModel, type Model, type ModelCard } from '@iac-dharma/models';

/** The `--model` / `--model-dir` / `--model-key` options every scoring command accepts. */
export const modelOptions = {
  model: { type: 'string' },
  'model-dir': { type: 'string' },
  'model-key': { type: 'string' },
} as const;

/** What a scoring command needs from a model: its task, whether it reads a window, and the bundled models that fit. */
interface ModelKind {
  task: ModelCard['task'];
  windowed: boolean;
  /** What the command scores, for the refusal message. */
  what: string;
  /** Bundled models of this kind, the default first. */
  bundled: readonly string[];
}

const KINDS: Record<string, ModelKind> = {
  failure: {
    task: 'regression',
    windowed: true,
    what: 'a sensor-window regression model (remaining useful life)',
    bundled: ['failure', 'failure-lstm'],
  },
  threat: {
    task: 'multiclass-classification',
    windowed: false,
    what: 'a multiclass connection classifier (NSL-KDD)',
    bundled: ['threat', 'threat-rf'],
  },
  churn: {
    task: 'binary-classification',
    windowed: false,
    what: 'a binary customer classifier (churn)',
    bundled: ['churn'],
  },
};

/** Usage lines for {@link modelOptions} of the command whose default model is `defaultId`: lists only compatible bundled models. */
export function modelUsage(defaultId: string): string {
  const others = (KINDS[defaultId]?.bundled ?? [defaultId]).filter((id) => id !== defaultId);
  const alternatives =
    others.length > 0 ? `; bundled alternative${others.length > 1 ? 's' : ''}: ${others.join(', ')}` : '';
  return `  --model <id>        model id to use (default: ${defaultId}${alternatives})
  --model-dir <dir>   folder with <id>/model-card.json + <id>/model.onnx (bring your own model; default: the bundled artifacts)
  --model-key <file>  pinned Ed25519 public key (PEM, or base64 of the 32 raw bytes): the model card must be
                      signed by it (dharma sign-model), else the model is refused`;
}

/**
 * Loads the model the options name (verified against its card's sha256). A model of another kind than the
 * command's (e.g. `threat --model failure-lstm`) is refused once, before any input is read: a usage error (exit 2).
 */
export async function loadCommandModel(
  values: Record<string, string | boolean | undefined>,
  defaultId: string,
): Promise<Model> {
  const id = typeof values['model'] === 'string' ? values['model'] : defaultId;
  const directory = values['model-dir'];
  const publicKey = readKeyOption(values, 'model-key');
  const model = await loadModel({
    id,
    ...(typeof directory === 'string' ? { source: createBundledModelSource({ directory }) } : {}),
    ...(publicKey !== undefined ? { publicKey } : {}),
  });
  const kind = KINDS[defaultId];
  if (kind && (model.card.task !== kind.task || Boolean(model.card.window) !== kind.windowed)) {
    const found = `a ${model.card.task} model${model.card.window ? ' over a sensor window' : ''}`;
    await model.release();
    throw new UsageError(
      `--model ${id} is ${found}; this command needs ${kind.what}. Compatible bundled models: ${kind.bundled.join(', ')}.`,
    );
  }
  return model;
}

/** Reads the key file an option names (its text), or throws a usage error naming the option. */
export function readKeyOption(values: Record<string, string | boolean | undefined>, name: string): string | undefined {
  const path = values[name];
  if (path === undefined) return undefined;
  if (typeof path !== 'string' || path === '') throw new UsageError(`--${name} needs a key file.`);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--${name} "${path}" cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
    );
  }
}

/** Reads a required string option or throws a usage error naming it. */
export function requireOption(
  values: Record<string, string | boolean | undefined>,
  name: string,
  usage: string,
): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required.\n\n${usage}`);
  return value;
}

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

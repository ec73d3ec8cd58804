import { execFile } from 'node:child_process';
import { z } from 'zod';
import { RemediationError } from '../../../errors/errors.js';
import type { RiskLevel } from '../../../schemas/remediation.js';
import type { RemediationActionDefinition, RemediationPlugin } from '../../../spec/remediation-plugin.js';

/** One allow-listed command: it becomes the action `command.<name>`. */
export interface AllowedCommand<P extends z.ZodType = z.ZodType> {
  /** Absolute path of the executable (run directly, never through a shell). */
  file: string;
  /** zod schema of the action's parameters. @default no parameters */
  parameters?: P;
  /** Builds the argument vector from validated parameters. @default () => [] */
  args?(params: z.output<P>, resourceId: string): readonly string[];
  description: string;
  risk: RiskLevel;
  /** @default 30000 */
  timeoutMs?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** An allow-listed command that undoes this one (run after a failed verification). */
  rollback?: { file: string; args?(params: z.output<P>, resourceId: string): readonly string[] };
}

/** Options of {@link createCommandPlugin}. */
export interface CommandPluginOptions {
  commands: Record<string, AllowedCommand>;
  /** Plugin name. @default 'command' */
  name?: string;
  /** Bytes of stdout/stderr kept in the history. @default 4096 */
  maxOutputBytes?: number;
}

/** Identity helper that types `args` from `parameters`. */
export function defineAllowedCommand<P extends z.ZodType>(command: AllowedCommand<P>): AllowedCommand {
  return command as unknown as AllowedCommand;
}

const ARGUMENT = z
  .string()
  .max(4096)
  .refine((text) => !text.includes('\u0000'), 'must not contain NUL');

/**
 * Resource ids reach commands as arguments, and they come from ingested data: only plain ids are passed
 * (letters, digits and `._:@/=+,~-`, not starting with `-`, so an id can never be read as an option).
 */
const RESOURCE_ID = /^[\p{L}\p{N}._:@/=+,~][\p{L}\p{N}._:@/=+,~-]{0,255}$/u;

/** Throws `RemediationError` naming the resource id when it may not reach a command line. */
export function checkCommandResourceId(resourceId: string): string {
  if (RESOURCE_ID.test(resourceId)) return resourceId;
  const why = resourceId.startsWith('-')
    ? "starts with '-' (it would be read as an option)"
    : 'has characters other than letters, digits and ._:@/=+,~-';
  throw new RemediationError(`The resource id ${JSON.stringify(resourceId)} was not passed to the command: it ${why}.`);
}

/**
 * A plugin that runs allow-listed executables with arguments built from schema-validated parameters
 * (`execFile`, no shell, so no string is ever interpreted). A non-zero exit fails the action. Node only.
 */
export function createCommandPlugin(options: CommandPluginOptions): RemediationPlugin {
  const maxOutput = options.maxOutputBytes ?? 4096;
  const run = (file: string, args: readonly string[], command: AllowedCommand, signal: AbortSignal) =>
    new Promise<{ exitCode: number; stdout: string; stderr: string }>((resolve, reject) => {
      const checked = z.array(ARGUMENT).parse(args);
      execFile(
        file,
        checked,
        {
          cwd: command.cwd,
          env: command.env ?? process.env,
          signal,
          shell: false,
          timeout: command.timeoutMs ?? 30_000,
          maxBuffer: 1 << 20,
        },
        (error, stdout, stderr) => {
          const output = { stdout: String(stdout).slice(0, maxOutput), stderr: String(stderr).slice(0, maxOutput) };
          if (!error) return resolve({ exitCode: 0, ...output });
          const code =
            typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : undefined;
          reject(
            new RemediationError(
              `${file} ${code === undefined ? `failed: ${error.message}` : `exited with code ${code}`}${output.stderr ? `: ${output.stderr.trim()}` : ''}`,
              { cause: error },
            ),
          );
        },
      );
    });
  const actions: Record<string, RemediationActionDefinition> = {};
  for (const [name, command] of Object.entries(options.commands)) {
    const build = (params: unknown, resourceId: string) => [
      ...(command.args?.(params, checkCommandResourceId(resourceId)) ?? []),
    ];
    actions[name] = {
      description: command.description,
      risk: command.risk,
      parameters: command.parameters ?? z.object({}).strict(),
      timeoutMs: (command.timeoutMs ?? 30_000) + 1_000,
      describe: (params, context) => `run ${command.file} ${JSON.stringify(build(params, context.resourceId))}`,
      execute: (params, context) => run(command.file, build(params, context.resourceId), command, context.signal),
      ...(command.rollback
        ? {
            rollback: async (params: unknown, context: { resourceId: string; signal: AbortSignal }) => {
              const rollback = command.rollback!;
              await run(
                rollback.file,
                [...(rollback.args?.(params, checkCommandResourceId(context.resourceId)) ?? [])],
                command,
                context.signal,
              );
            },
          }
        : {}),
    };
  }
  return { specificationVersion: 'v1', name: options.name ?? 'command', actions };
}

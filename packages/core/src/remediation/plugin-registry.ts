import { z } from 'zod';
import { NotFoundError, StateError } from '../errors/errors.js';
import { ValidationError } from '../errors/validation-error.js';
import { RiskLevelSchema, type ActionRef } from '../schemas/remediation.js';
import type { RemediationActionDefinition, RemediationPlugin } from '../spec/remediation-plugin.js';

const isFunction = (value: unknown): boolean => typeof value === 'function';
const zodSchema = z.custom<z.ZodType>(
  (value) => typeof value === 'object' && value !== null && isFunction((value as { safeParse?: unknown }).safeParse),
  {
    message: 'expected a zod schema',
  },
);
const optionalFunction = z
  .custom<(...args: unknown[]) => unknown>(isFunction, { message: 'expected a function' })
  .optional();

/** Shape every registered plugin must have (checked by `registerPlugin`). */
export const RemediationPluginShapeSchema = z.object({
  specificationVersion: z.literal('v1'),
  name: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, `_`, `.` and `-` only'),
  actions: z.record(
    z.string().min(1).max(128),
    z.object({
      description: z.string().min(1),
      risk: RiskLevelSchema,
      parameters: zodSchema,
      timeoutMs: z.number().int().positive().optional(),
      result: zodSchema.optional(),
      execute: z.custom<(...args: unknown[]) => unknown>(isFunction, { message: 'expected a function' }),
      verify: optionalFunction,
      rollback: optionalFunction,
      describe: optionalFunction,
    }),
  ),
});

/** `plugin.action`: how actions are named in guards, the learner and the history. */
export function actionKey(action: Pick<ActionRef, 'plugin' | 'action'>): string {
  return `${action.plugin}.${action.action}`;
}

/** The registered plugins, by name. */
export class PluginRegistry {
  private readonly plugins = new Map<string, RemediationPlugin>();

  /** Validates and registers a plugin; a second plugin with the same name is refused. */
  register(plugin: RemediationPlugin): void {
    const result = RemediationPluginShapeSchema.safeParse(plugin);
    if (!result.success)
      throw ValidationError.fromZod(result.error, `plugin "${String((plugin as { name?: unknown })?.name)}"`);
    if (this.plugins.has(plugin.name))
      throw new StateError(`A remediation plugin named "${plugin.name}" is already registered.`);
    this.plugins.set(plugin.name, plugin);
  }

  /** The definition of `action`, or a {@link NotFoundError}. */
  lookup(action: Pick<ActionRef, 'plugin' | 'action'>): RemediationActionDefinition {
    const plugin = this.plugins.get(action.plugin);
    if (!plugin)
      throw new NotFoundError(
        `No remediation plugin "${action.plugin}" is registered (registered: ${[...this.plugins.keys()].join(', ') || 'none'}).`,
      );
    const definition = Object.hasOwn(plugin.actions, action.action) ? plugin.actions[action.action] : undefined;
    if (!definition)
      throw new NotFoundError(
        `Plugin "${action.plugin}" has no action "${action.action}" (actions: ${Object.keys(plugin.actions).join(', ')}).`,
      );
    return definition;
  }

  /** Names of the registered plugins. */
  names(): string[] {
    return [...this.plugins.keys()];
  }
}

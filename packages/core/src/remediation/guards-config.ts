import { z } from 'zod';

const WindowLimitSchema = z.object({
  /** Most executions allowed in the window. */
  max: z.number().int().min(0),
  /** Window length, in ms. */
  windowMs: z.number().int().positive(),
});

/** Safety limits every execution (automatic or manual) must pass. Plain data, zod-validated. */
export const GuardsConfigSchema = z.object({
  /** Actions whose risk is above this level need an approval (`approve` callback). `'critical'` means never. @default 'medium' */
  approvalAbove: z.enum(['low', 'medium', 'high', 'critical']).default('medium'),
  /** How long to wait for an approver; no answer in time means no, in ms. @default 300000 */
  approvalTimeoutMs: z.number().int().positive().default(300_000),
  rateLimit: z
    .object({
      /** Executions on one resource per window. @default 5 per hour */
      perResource: WindowLimitSchema.default({ max: 5, windowMs: 3_600_000 }),
      /** Executions of one action (plugin.action) across all resources per window. @default 30 per hour */
      perAction: WindowLimitSchema.default({ max: 30, windowMs: 3_600_000 }),
    })
    .prefault({}),
  cooldown: z
    .object({
      /** After a remediation executed on a resource, later remediations of it wait this long, in ms. @default 60000 */
      resourceMs: z.number().int().min(0).default(60_000),
      /** After an action ran on a resource, that same action waits this long before running on it again, in ms. @default 300000 */
      actionMs: z.number().int().min(0).default(300_000),
    })
    .prefault({}),
  blastRadius: z
    .object({
      /** At most this many distinct resources changed per window. @default 10 */
      maxResources: z.number().int().min(0).default(10),
      /** @default 600000 (10 minutes) */
      windowMs: z.number().int().positive().default(600_000),
    })
    .prefault({}),
  circuitBreaker: z
    .object({
      /** Consecutive failures of an action (for one incident signature) that open its circuit. @default 3 */
      failureThreshold: z.number().int().positive().default(3),
      /** How long an open circuit refuses the action before letting one trial through, in ms. @default 600000 */
      resetAfterMs: z.number().int().positive().default(600_000),
    })
    .prefault({}),
});
export type GuardsConfig = z.output<typeof GuardsConfigSchema>;
export type GuardsConfigInput = z.input<typeof GuardsConfigSchema>;

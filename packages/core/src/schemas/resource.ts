import { z } from 'zod';
import { IdSchema, LabelsSchema, TimestampSchema } from './common.js';

/** Lifecycle status of a resource. */
export const ResourceStatusSchema = z.enum([
  'pending',
  'provisioning',
  'running',
  'degraded',
  'stopped',
  'failed',
  'deleted',
]);
export type ResourceStatus = z.infer<typeof ResourceStatusSchema>;

const ResourceBase = z.object({
  id: IdSchema,
  name: z.string().min(1).max(256),
  labels: LabelsSchema.default({}),
  status: ResourceStatusSchema.default('pending'),
  createdAt: TimestampSchema.optional(),
  updatedAt: TimestampSchema.optional(),
});

/** A piece of infrastructure managed as code: a VPC, a cluster, a database, a bucket... */
export const InfrastructureSchema = ResourceBase.extend({
  type: z.literal('infrastructure'),
  provider: z.string().min(1).max(64).default('local'),
  region: z.string().max(64).optional(),
  /** Provider-specific configuration. */
  spec: z.record(z.string(), z.unknown()).default({}),
});
export type Infrastructure = z.output<typeof InfrastructureSchema>;

/** A compute unit: a VM, a node, a container host. */
export const ComputeSchema = ResourceBase.extend({
  type: z.literal('compute'),
  infrastructureId: IdSchema.optional(),
  /** CPU cores. */
  cpu: z.number().positive().max(4096),
  /** Memory in MiB. */
  memoryMiB: z
    .number()
    .positive()
    .max(1 << 24),
  /** Disk in GiB. */
  diskGiB: z.number().nonnegative().optional(),
});
export type Compute = z.output<typeof ComputeSchema>;

/** A deployment: a named workload with a replica count. */
export const DeploymentSchema = ResourceBase.extend({
  type: z.literal('deployment'),
  infrastructureId: IdSchema.optional(),
  image: z.string().max(512).optional(),
  /** Desired replicas. */
  replicas: z.number().int().min(0).max(10_000),
  /** Replicas currently running. */
  readyReplicas: z.number().int().min(0).max(10_000).default(0),
});
export type Deployment = z.output<typeof DeploymentSchema>;

/** Any resource of the inventory, discriminated by `type`. */
export const ResourceSchema = z.discriminatedUnion('type', [InfrastructureSchema, ComputeSchema, DeploymentSchema]);
export type Resource = z.output<typeof ResourceSchema>;
export type ResourceInput = z.input<typeof ResourceSchema>;
export type ResourceType = Resource['type'];

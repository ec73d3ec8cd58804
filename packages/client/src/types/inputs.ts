import type { ResourceStatus, Severity } from './resources.js';

/** A compute unit to create with an infrastructure. */
export interface ComputeInput {
  id: string;
  name: string;
  cpu: number;
  memoryMiB: number;
  diskGiB?: number;
  labels?: Record<string, string>;
}

/** A deployment to create (and start) with an infrastructure. */
export interface DeploymentInput {
  id: string;
  name: string;
  image?: string;
  replicas: number;
  labels?: Record<string, string>;
}

/** Input of `createInfrastructure`. */
export interface CreateInfrastructureInput {
  id: string;
  name: string;
  provider?: string;
  region?: string;
  labels?: Record<string, string>;
  spec?: Record<string, unknown>;
  compute?: ComputeInput[];
  deployments?: DeploymentInput[];
}

/** Input of `scaleDeployment`. */
export interface ScaleDeploymentInput {
  deploymentId: string;
  replicas: number;
  /** Recorded in the remediation history. */
  reason?: string;
}

/** Input of `requestPrediction`. */
export interface PredictionRequestInput {
  resourceId: string;
  metric?: string;
  /** Steps ahead. */
  horizon?: number;
  /** A registered analyzer to use. */
  analyzer?: string;
  /** A limit to forecast against. */
  threshold?: number;
}

/** One metric sample for `ingestMetrics`. */
export interface MetricSampleInput {
  resourceId: string;
  metric: string;
  value: number;
  /** Epoch ms; the gateway's now when absent. */
  timestamp?: number;
  labels?: Record<string, string>;
}

/** Filters of list queries. */
export interface ListOptions {
  /** At most this many. @default 100 */
  limit?: number;
}
export interface ListInfrastructuresOptions extends ListOptions {
  status?: ResourceStatus;
}
export interface ByInfrastructureOptions extends ListOptions {
  infrastructureId?: string;
}
export interface ByResourceOptions extends ListOptions {
  resourceId?: string;
}
export interface MetricsQuery {
  resourceId: string;
  metric: string;
  /** Inclusive lower bound, epoch ms. */
  from?: number;
  /** Exclusive upper bound, epoch ms. */
  to?: number;
  /** @default 1000 */
  limit?: number;
}

/** Filters of subscriptions. */
export interface AnomalyAlertsOptions {
  resourceId?: string;
  minSeverity?: Severity;
}
export interface MetricsStreamOptions {
  resourceId?: string;
  metric?: string;
}
export interface InfrastructureStatusOptions {
  resourceId?: string;
}

/** Lifecycle status of an inventory resource. */
export type ResourceStatus = 'pending' | 'provisioning' | 'running' | 'degraded' | 'stopped' | 'failed' | 'deleted';

/** Severity of a finding, from least to most urgent. */
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/** A piece of infrastructure (as listed; see {@link InfrastructureDetail} for its compute and deployments). Times are epoch ms. */
export interface Infrastructure {
  id: string;
  name: string;
  provider: string;
  region: string | null;
  status: ResourceStatus;
  labels: Record<string, string>;
  spec: Record<string, unknown>;
  createdAt: number | null;
  updatedAt: number | null;
}

/** A compute unit. */
export interface Compute {
  id: string;
  name: string;
  infrastructureId: string | null;
  status: ResourceStatus;
  labels: Record<string, string>;
  /** CPU cores. */
  cpu: number;
  /** Memory in MiB. */
  memoryMiB: number;
  /** Disk in GiB. */
  diskGiB: number | null;
  createdAt: number | null;
  updatedAt: number | null;
}

/** A deployment with its replicas. */
export interface Deployment {
  id: string;
  name: string;
  infrastructureId: string | null;
  image: string | null;
  status: ResourceStatus;
  labels: Record<string, string>;
  /** Desired replicas. */
  replicas: number;
  /** Replicas running now. */
  readyReplicas: number;
  /** Process ids of the running replicas (process-pool provider; empty otherwise). */
  pids: number[];
  createdAt: number | null;
  updatedAt: number | null;
}

/** An infrastructure with its compute and deployments. */
export interface InfrastructureDetail extends Infrastructure {
  compute: Compute[];
  deployments: Deployment[];
}

/** One point of a metric series. */
export interface Metric {
  resourceId: string;
  metric: string;
  /** Epoch ms. */
  timestamp: number;
  value: number;
}

/** A resource changed status. */
export interface StatusChange {
  resourceId: string;
  resourceType: string;
  status: ResourceStatus;
  previousStatus: ResourceStatus | null;
  replicas: number | null;
  readyReplicas: number | null;
  timestamp: number;
}

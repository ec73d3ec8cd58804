import type { CallOptions, ComponentHealth, Deployment, Resource } from '@iac-dharma/core';

/** What a provider reports about a deployment's replicas. */
export interface DeploymentStatus {
  deploymentId: string;
  /** Replicas the provider is asked to keep running. */
  desiredReplicas: number;
  /** Replicas running and ready now. */
  readyReplicas: number;
  /** Process ids of the running replicas (empty when the platform has none to show, e.g. Kubernetes pods). */
  pids: number[];
}

/**
 * Runs deployments' replicas somewhere: local worker processes (`createProcessPoolProvider`), Kubernetes
 * later. The gateway calls it through the remediator's `infrastructure.scale` action, so every manual
 * scale passes the same guards and lands in the same audit history as automatic remediations.
 */
export interface InfrastructureProvider {
  readonly specificationVersion: 'v1';
  /** Provider name for health and audit records, e.g. `process-pool`. */
  readonly name: string;
  /**
   * Most replicas one deployment may have on this provider. The gateway and the `infrastructure.scale`
   * action validate `replicas` against it, so an impossible request is refused before anything runs.
   * @default 10000 when the provider does not say
   */
  readonly maxReplicas?: number;
  /** Brings the deployment to `replicas` running replicas; resolves once they are ready (or stopped). */
  scale(deployment: Deployment, replicas: number, options?: CallOptions): Promise<DeploymentStatus>;
  /** The deployment's current replicas. Unknown deployments report zero replicas. */
  status(deployment: Pick<Deployment, 'id'>, options?: CallOptions): Promise<DeploymentStatus>;
  health?(): Promise<ComponentHealth>;
  /**
   * Status changes the platform reports by itself (e.g. Kubernetes watches): the gateway forwards each to
   * `infrastructureStatus` subscribers. Returns the unsubscribe function. Optional.
   */
  watchStatus?(listener: (current: Resource, previous: Resource | undefined) => void): () => void;
  /** Stops every replica this provider started. */
  close(): Promise<void>;
}

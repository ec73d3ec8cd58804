import { EventEmitter } from 'eventemitter3';
import type { Resource, ResourceStatus } from '@iac-dharma/core';

/** A resource changed status (the `infrastructureStatus` subscription's payload). */
export interface StatusChange {
  resourceId: string;
  resourceType: Resource['type'];
  status: ResourceStatus;
  previousStatus: ResourceStatus | null;
  replicas: number | null;
  readyReplicas: number | null;
  /** Epoch ms. */
  timestamp: number;
}

/** Carries status changes of inventory resources to `infrastructureStatus` subscribers. */
export class StatusBus extends EventEmitter<{ change: (change: StatusChange) => void }> {
  /** Last published state per resource, so one change is announced once whoever reports it. */
  private readonly last = new Map<string, StatusChange>();

  /**
   * Publishes the change from `previous` (absent when created, or unknown: the last published state is
   * used) to `current`. Publishing a state equal to the last one is a no-op.
   */
  publish(current: Resource, previous: Resource | undefined, timestamp: number): void {
    const before = this.last.get(current.id);
    const change: StatusChange = {
      resourceId: current.id,
      resourceType: current.type,
      status: current.status,
      previousStatus: previous?.status ?? before?.status ?? null,
      replicas: current.type === 'deployment' ? current.replicas : null,
      readyReplicas: current.type === 'deployment' ? current.readyReplicas : null,
      timestamp,
    };
    if (
      before &&
      before.status === change.status &&
      before.replicas === change.replicas &&
      before.readyReplicas === change.readyReplicas
    )
      return;
    if (change.status === 'deleted') this.last.delete(current.id);
    else this.last.set(current.id, change);
    this.emit('change', change);
  }
}

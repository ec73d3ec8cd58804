import type { Engine, IngestRecord } from '@iac-dharma/core';
import type { GatewayServices } from '../gateway-context.js';

/** Tracks which metrics each resource reports, and republishes status changes made by remediations. */
export function watchEngine(engine: Engine, services: GatewayServices): () => void {
  const onIngested = (records: readonly IngestRecord[]) => {
    for (const record of records) {
      if (record.kind !== 'metric') continue;
      let metrics = services.metricsSeen.get(record.resource);
      if (!metrics) {
        if (services.metricsSeen.size >= 100_000) continue; // bounded memory; callers can still name the metric
        services.metricsSeen.set(record.resource, (metrics = new Set()));
      }
      if (metrics.size < 256) metrics.add(record.metric);
    }
  };
  const onRemediation = (result: { resource: string }) => {
    services.storage.getResource({ id: result.resource }).then(
      (resource) => resource && services.statusBus.publish(resource, undefined, engine.clock.now()),
      () => undefined,
    );
  };
  engine.on('ingested', onIngested);
  engine.on('remediation', onRemediation);
  return () => {
    engine.off('ingested', onIngested);
    engine.off('remediation', onRemediation);
  };
}

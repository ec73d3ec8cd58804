import { compareSeverity, type AnomalyFinding, type IngestRecord } from '@iac-dharma/core';
import type { StatusChange } from '../events/status-bus.js';
import { optionalId, parseInput } from './args.js';
import type { SubscriptionResolvers } from './generated/resolver-types.js';
import { toAnomalyEvent, toMetric } from './mappers.js';
import { parseSeverity } from './query-resolvers.js';
import { z } from 'zod';

const identity = <T>(payload: T) => payload;

/** Resolvers of `Subscription`: engine events and status changes, each through a bounded per-subscriber queue. */
export const subscriptionResolvers: { Subscription: SubscriptionResolvers } = {
  Subscription: {
    infrastructureStatus: {
      subscribe(_, args, context) {
        const resourceId = optionalId(args.resourceId, 'resourceId');
        const { statusBus, subscriptions } = context.services;
        return subscriptions.create<StatusChange>('infrastructureStatus', (push) => {
          const listener = (change: StatusChange) => {
            if (resourceId === undefined || change.resourceId === resourceId) push(change);
          };
          statusBus.on('change', listener);
          return () => statusBus.off('change', listener);
        });
      },
      resolve: identity,
    },
    anomalyAlerts: {
      subscribe(_, args, context) {
        const resourceId = optionalId(args.resourceId, 'resourceId');
        const minSeverity = args.minSeverity == null ? undefined : parseSeverity(args.minSeverity);
        const { engine, subscriptions } = context.services;
        return subscriptions.create<ReturnType<typeof toAnomalyEvent>>('anomalyAlerts', (push) => {
          const listener = (finding: AnomalyFinding) => {
            if (resourceId !== undefined && finding.resource !== resourceId) return;
            if (minSeverity !== undefined && compareSeverity(finding.severity, minSeverity) < 0) return;
            push(toAnomalyEvent(finding));
          };
          engine.on('anomaly', listener);
          return () => engine.off('anomaly', listener);
        });
      },
      resolve: identity,
    },
    metricsStream: {
      subscribe(_, args, context) {
        const resourceId = optionalId(args.resourceId, 'resourceId');
        const metric = args.metric == null ? undefined : parseInput(z.string().min(1).max(256), args.metric, 'metric');
        const { engine, subscriptions } = context.services;
        return subscriptions.create<ReturnType<typeof toMetric>>('metricsStream', (push) => {
          const listener = (records: readonly IngestRecord[]) => {
            for (const record of records) {
              if (record.kind !== 'metric') continue;
              const sample = record;
              if (resourceId !== undefined && sample.resource !== resourceId) continue;
              if (metric !== undefined && sample.metric !== metric) continue;
              push(
                toMetric(
                  { series: '', timestamp: sample.timestamp, value: sample.value },
                  sample.resource,
                  sample.metric,
                ),
              );
            }
          };
          engine.on('ingested', listener);
          return () => engine.off('ingested', listener);
        });
      },
      resolve: identity,
    },
  },
};

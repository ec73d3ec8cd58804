import type { ComponentHealth } from '@iac-dharma/core/kernel';
import type { ClientAdmin } from './client/kafka-client.js';
import { consumerLag } from './consumer-lag.js';
import type { KafkaTransportStats } from './transport-stats.js';

/**
 * Asks the cluster for its brokers and the committed offsets of every subscription, within `timeoutMs`:
 * `ok` when brokers answer and the total lag is at most `maxHealthyLag`, `degraded` above it, `down`
 * when no broker answers. `data` holds brokers, controller, lag per `group/topic`, total lag and the counters.
 */
export async function probeKafkaHealth(options: {
  admin: () => Promise<ClientAdmin>;
  subscriptions: readonly { groupId: string; physicalTopic: string }[];
  stats: KafkaTransportStats;
  timeoutMs: number;
  maxHealthyLag: number;
}): Promise<ComponentHealth> {
  const { stats, timeoutMs } = options;
  try {
    const probe = (async () => {
      const admin = await options.admin();
      const cluster = await admin.describeCluster();
      const lag: Record<string, number> = {};
      for (const { groupId, physicalTopic } of options.subscriptions) {
        lag[`${groupId}/${physicalTopic}`] = await consumerLag(admin, groupId, physicalTopic);
      }
      return { cluster, lag };
    })();
    // The probe may settle after the timeout won the race: never leave its rejection unhandled.
    probe.catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)),
    );
    const { cluster, lag } = await Promise.race([probe, timeout]).finally(() => clearTimeout(timer));
    const totalLag = Object.values(lag).reduce((sum, value) => sum + value, 0);
    return {
      status: totalLag > options.maxHealthyLag ? 'degraded' : 'ok',
      detail: `${cluster.brokers.length} broker(s), consumer lag ${totalLag}`,
      data: { brokers: cluster.brokers, controller: cluster.controller, lag, totalLag, ...stats },
    };
  } catch (error) {
    return { status: 'down', detail: `Kafka unreachable: ${(error as Error).message}`, data: { ...stats } };
  }
}

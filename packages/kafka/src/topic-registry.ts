import { TransportError } from '@iac-dharma/core/kernel';
import type { ClientAdmin } from './client/kafka-client.js';

/**
 * Maps logical topic names (`metrics`, `dead-letter`, any other name) to physical ones (prefix + override)
 * and creates missing topics once, with the configured partitions.
 */
export class TopicRegistry {
  private readonly known = new Map<string, Promise<void>>();

  constructor(
    private readonly options: {
      prefix: string;
      overrides: Record<string, string>;
      admin: () => Promise<ClientAdmin>;
      create: boolean;
      partitions: number;
      replicationFactor: number;
      topicConfig: Record<string, string>;
    },
  ) {}

  /** The physical Kafka topic of a logical name. */
  physical(logical: string): string {
    return this.options.prefix + (this.options.overrides[logical] ?? logical);
  }

  /** Forgets that a topic exists (it was deleted) and creates it again. */
  recreate(physical: string): Promise<void> {
    if (this.known.get(physical) !== undefined) this.known.delete(physical);
    return this.ensure(physical);
  }

  /** Creates the physical topic when missing (once per transport; concurrent callers share the call). */
  ensure(physical: string): Promise<void> {
    if (!this.options.create) return Promise.resolve();
    let pending = this.known.get(physical);
    if (!pending) {
      pending = this.create(physical);
      this.known.set(physical, pending);
      // A failed creation is retried by the next caller instead of being cached.
      pending.catch(() => this.known.delete(physical));
    }
    return pending;
  }

  private async create(physical: string): Promise<void> {
    try {
      const admin = await this.options.admin();
      await admin.createTopic({
        topic: physical,
        partitions: this.options.partitions,
        replicationFactor: this.options.replicationFactor,
        configs: this.options.topicConfig,
      });
      await this.waitForLeaders(admin, physical);
    } catch (error) {
      throw new TransportError(`Could not create Kafka topic "${physical}": ${(error as Error).message}`, {
        cause: error,
        isRetryable: true,
      });
    }
  }

  /** Polls the topic's metadata until every partition has a leader (deadline: 30 s). */
  private async waitForLeaders(admin: ClientAdmin, physical: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const leaders = await admin.partitionLeaders(physical);
        if (leaders.length > 0 && leaders.every((leader) => leader >= 0)) return;
      } catch (error) {
        last = error;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new TransportError(`Kafka topic "${physical}" has no leader after 30 s${last ? `: ${String(last)}` : ''}`, {
      isRetryable: true,
    });
  }
}

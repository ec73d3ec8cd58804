import type { Finding } from '../schemas/finding.js';
import type { RemediationResult } from '../schemas/remediation.js';
import type { OutgoingMessage, Transport } from '../spec/transport.js';
import type { EngineTopics } from './engine-options.js';

/** What a {@link FindingPublisher} needs: the transport, the resolved topics, a bound and an error callback. */
export interface FindingPublisherOptions {
  transport: Pick<Transport, 'publish'>;
  topics: EngineTopics;
  /** Most finding batches waiting for the transport's acknowledgement at once (`maxInFlightPublishes`). */
  maxInFlight: number;
  /** Called with each failed publish; publishing never throws into ingestion. */
  onError(error: unknown): void;
}

/**
 * The messages of a batch of findings, by topic: each finding on its kind's topic and, when it is high or
 * critical, also on the alert topic (once, when its kind's topic is the alert topic).
 */
export function findingMessagesByTopic(
  findings: readonly Finding[],
  topics: EngineTopics,
): Map<string, OutgoingMessage[]> {
  const byTopic = new Map<string, OutgoingMessage[]>();
  const add = (topic: string, finding: Finding) => {
    let list = byTopic.get(topic);
    if (!list) byTopic.set(topic, (list = []));
    list.push({ key: finding.resource, value: finding });
  };
  for (const finding of findings) {
    const topic = topics[finding.kind];
    add(topic, finding);
    if ((finding.severity === 'high' || finding.severity === 'critical') && topic !== topics.alert)
      add(topics.alert, finding);
  }
  return byTopic;
}

/**
 * Publishes the engine's findings and remediation results. Publishing waits for the transport's
 * acknowledgement (a broker round trip with Kafka), so it runs beside ingestion instead of in its queue; at
 * most `maxInFlight` batches wait at once, which bounds memory and makes a slow transport slow ingestion
 * down rather than grow a backlog.
 */
export class FindingPublisher {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: FindingPublisherOptions) {}

  /** Starts publishing a batch; resolves once it is under way (after waiting for room when `maxInFlight` batches are pending). */
  async publishFindings(findings: readonly Finding[]): Promise<void> {
    while (this.inFlight.size >= this.options.maxInFlight) await Promise.race(this.inFlight);
    const promise = this.send(findings).finally(() => this.inFlight.delete(promise));
    this.inFlight.add(promise);
  }

  /** Publishes a remediation result on the remediation topic, in the background. */
  publishRemediation(result: RemediationResult): void {
    this.options.transport
      .publish({ topic: this.options.topics.remediation, messages: [{ key: result.resource, value: result }] })
      .catch((error: unknown) => this.options.onError(error));
  }

  /** Waits until every finding batch started so far has been published (or has failed). */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async send(findings: readonly Finding[]): Promise<void> {
    for (const [topic, messages] of findingMessagesByTopic(findings, this.options.topics)) {
      await this.options.transport.publish({ topic, messages }).catch((error: unknown) => this.options.onError(error));
    }
  }
}

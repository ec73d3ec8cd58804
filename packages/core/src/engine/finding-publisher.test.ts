import { describe, expect, it } from 'vitest';
import { FindingSchema, type Finding } from '../schemas/finding.js';
import { EngineOptionsSchema } from './engine-options.js';
import { FindingPublisher, findingMessagesByTopic } from './finding-publisher.js';

const topics = EngineOptionsSchema.parse({}).topics;
const finding = (severity: 'low' | 'critical', resource = 'web-1'): Finding =>
  FindingSchema.parse({
    kind: 'anomaly',
    id: `${severity}-${resource}`,
    analyzer: 'a',
    resource,
    timestamp: 1,
    severity,
    score: 1,
    summary: 's',
  });

describe('FindingPublisher', () => {
  it('puts each finding on its kind topic and high or critical ones also on the alert topic, once', () => {
    const byTopic = findingMessagesByTopic([finding('low'), finding('critical', 'db-1')], topics);
    expect([...byTopic.keys()].sort()).toEqual(['alerts', 'anomalies']);
    expect(byTopic.get('anomalies')!.map((message) => message.key)).toEqual(['web-1', 'db-1']);
    expect(byTopic.get('alerts')!.map((message) => (message.value as Finding).id)).toEqual(['critical-db-1']);
    const alertsOnly = findingMessagesByTopic([finding('critical')], { ...topics, anomaly: topics.alert });
    expect([...alertsOnly.entries()].map(([topic, messages]) => [topic, messages.length])).toEqual([['alerts', 1]]);
  });

  it('holds a batch back while maxInFlight batches wait for the transport, and reports failed publishes', async () => {
    const pending: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
    const transport = { publish: () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })) };
    const errors: unknown[] = [];
    const publisher = new FindingPublisher({
      transport,
      topics,
      maxInFlight: 2,
      onError: (error) => errors.push(error),
    });
    await publisher.publishFindings([finding('low')]);
    await publisher.publishFindings([finding('low')]);
    let thirdStarted = false;
    const third = publisher.publishFindings([finding('low')]).then(() => (thirdStarted = true));
    await Promise.resolve();
    expect(pending).toHaveLength(2);
    expect(thirdStarted).toBe(false);
    pending[0]!.reject(new Error('broker down'));
    await third;
    expect(thirdStarted).toBe(true);
    expect(errors).toEqual([new Error('broker down')]);
    let flushed = false;
    const flush = publisher.flush().then(() => (flushed = true));
    pending[1]!.resolve();
    await Promise.resolve();
    expect(flushed).toBe(false);
    pending[2]!.resolve();
    await flush;
    expect(flushed).toBe(true);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { TransportError } from '@iac-dharma/core';
import { waitFor } from '@iac-dharma/core/testing';
import kafkajs from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { createKafkaTransport, type KafkaTransport } from '../src/index.js';
import { fastTestOptions, kafkaBrokers, readEnvFile, repoRoot, run, uniqueTopic } from './kafka-env.js';

/** Kafka faults on the real broker, for each client adapter this Node.js runs (`@platformatic/kafka` needs >= 22.22). */
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const clients =
  major > 22 || (major === 22 && minor >= 22) ? (['kafkajs', 'platformatic'] as const) : (['kafkajs'] as const);
const servicesEnv = () =>
  readEnvFile(join(process.env.DHARMA_SERVICES_DIR ?? join(repoRoot, '.services'), 'kafka.env'));

/** Starts the batch-consumer fixture; resolves once it subscribed. `lines` collects its handled values. */
function startConsumer(
  topic: string,
  group: string,
  client: string,
): { child: ChildProcess; handled: number[]; ready: Promise<void> } {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@iac-dharma/source',
      join(repoRoot, 'packages/kafka/test/fixtures/batch-consumer.ts'),
      kafkaBrokers().join(','),
      topic,
      group,
      client,
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const handled: number[] = [];
  let buffer = '';
  let stderr = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        if (line === 'ready') resolve();
        else if (line.startsWith('handled ')) handled.push(...line.slice(8).split(' ').map(Number));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code, signal) =>
      reject(new Error(`consumer exited (${code ?? signal}) before it was ready: ${stderr}`)),
    );
  });
  return { child, handled, ready };
}

describe.each(clients)('Kafka faults (real broker, client %s)', (client) => {
  const transports: KafkaTransport[] = [];
  const children: ChildProcess[] = [];
  const open = (options: Partial<Parameters<typeof createKafkaTransport>[0]> = {}) => {
    const transport = createKafkaTransport({
      brokers: kafkaBrokers(),
      client,
      clientId: `faults-${client}`,
      ...fastTestOptions,
      ...options,
    });
    transports.push(transport);
    return transport;
  };
  afterEach(async () => {
    for (const child of children.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const transport of transports.splice(0)) await transport.close().catch(() => undefined);
  });

  it('a consumer killed with kill -9 mid-batch: its replacement redelivers what was not committed, nothing is lost', async () => {
    const topic = uniqueTopic(`kill9-${client}`);
    const producer = open({ partitions: 2 });
    const total = 600;
    const first = startConsumer(topic, 'killed', client);
    children.push(first.child);
    await first.ready;
    await producer.publish({
      topic,
      messages: Array.from({ length: total }, (_, n) => ({ key: `k${n % 8}`, value: { n } })),
    });
    await waitFor(() => first.handled.length >= 150, {
      timeoutMs: 60_000,
      message: 'the first consumer handled some batches',
    });
    first.child.kill('SIGKILL'); // mid-stream: batches in flight, offsets handled since the last commit not committed
    await new Promise((resolve) => first.child.once('exit', resolve));
    const handledByFirst = [...first.handled];
    expect(handledByFirst.length).toBeLessThan(total);

    const second = startConsumer(topic, 'killed', client);
    children.push(second.child);
    await second.ready;
    const union = () => new Set([...handledByFirst, ...second.handled]).size;
    await waitFor(() => union() === total, {
      timeoutMs: 60_000,
      message: `all ${total} messages handled across the kill`,
    });
    // At-least-once: the replacement starts from the last commit, so it redelivers at most what the killed
    // one handled, and (commits every 100 ms) not everything it handled.
    const redelivered = second.handled.filter((n) => handledByFirst.includes(n)).length;
    expect(redelivered).toBeLessThanOrEqual(handledByFirst.length);
    expect(second.handled.length).toBeLessThan(total);
    console.info(
      `kill -9 (${client}): first handled ${handledByFirst.length}, replacement ${second.handled.length}, redelivered ${redelivered}`,
    );
  }, 150_000);

  it('publishes through an idempotent producer (the broker keeps producer ids and sequences), and not when turned off', async () => {
    const topics = { on: uniqueTopic(`idem-on-${client}`), off: uniqueTopic(`idem-off-${client}`) };
    await open({ partitions: 1 }).publish({ topic: topics.on, messages: [{ value: { n: 1 } }, { value: { n: 2 } }] });
    await open({ partitions: 1, idempotent: false }).publish({ topic: topics.off, messages: [{ value: { n: 1 } }] });
    const env = servicesEnv();
    const data = join(dirname(env.DHARMA_KAFKA_LOG!), 'data');
    const segment = (topic: string) => {
      const dir = join(data, `${topic}-0`);
      return join(
        dir,
        readdirSync(dir).find((file) => file.endsWith('.log'))!,
      );
    };
    const libs = join(
      process.env.DHARMA_KAFKA_CACHE ?? join(homedir(), '.cache/iac-dharma', `kafka-${env.DHARMA_KAFKA_VERSION}`),
      'libs/*',
    );
    const dump = await run(
      'java',
      [
        '-XX:TieredStopAtLevel=1',
        '-cp',
        libs,
        'kafka.tools.DumpLogSegments',
        '--files',
        `${segment(topics.on)},${segment(topics.off)}`,
      ],
      { timeoutMs: 60_000 },
    );
    const [on, off] = dump.split(/Dumping /).slice(1) as [string, string];
    const producerIds = (text: string) => [...text.matchAll(/producerId: (-?\d+)/g)].map((match) => Number(match[1]));
    expect(producerIds(on).length).toBeGreaterThan(0);
    expect(producerIds(on).every((id) => id >= 0)).toBe(true); // idempotent: a broker-assigned producer id
    expect(producerIds(off)).toEqual([-1]);
  }, 90_000);

  it('rejects a message above the broker’s message.max.bytes with a typed error, and keeps publishing', async () => {
    const topic = uniqueTopic(`too-big-${client}`);
    // The transport's own limit is raised above the broker's (1 MiB by default), so the broker decides.
    const transport = open({ maxMessageBytes: 4_000_000, compression: 'none', deliveryTimeoutMs: 20_000 });
    const random = Buffer.alloc(1_500_000);
    for (let index = 0; index < random.length; index++) random[index] = (index * 2654435761) % 251;
    const error = await transport
      .publish({ topic, messages: [{ value: { blob: random.toString('base64') } }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).isRetryable).toBe(false);
    expect(transport.stats().publishFailures).toBe(1);
    const received: unknown[] = [];
    await transport.subscribe({ topic, handler: async (message) => void received.push(message.value) });
    await transport.publish({ topic, messages: [{ value: { small: true } }] });
    await waitFor(() => received.length === 1, { timeoutMs: 30_000, message: 'the next, normal message arrives' });
    expect(received).toEqual([{ small: true }]);
  }, 90_000);

  it('a topic deleted mid-run is created again on the next publish, and the subscription delivers what follows', async () => {
    const topic = uniqueTopic(`deleted-${client}`);
    const transport = open({ partitions: 1, deliveryTimeoutMs: 40_000 });
    const received: number[] = [];
    await transport.subscribe({
      topic,
      group: 'deleted',
      handler: async (message) => void received.push((message.value as { n: number }).n),
    });
    await transport.publish({ topic, messages: [{ value: { n: 1 } }, { value: { n: 2 } }] });
    await waitFor(() => received.length >= 2, { timeoutMs: 30_000, message: 'messages before the deletion' });
    const admin = new kafkajs.Kafka({
      brokers: kafkaBrokers(),
      clientId: 'faults-admin',
      logLevel: kafkajs.logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [transport.topicName(topic)], timeout: 20_000 });
    await waitFor(async () => !(await admin.listTopics()).includes(transport.topicName(topic)), {
      timeoutMs: 20_000,
      message: 'topic deleted',
    });
    await admin.disconnect();
    await transport.publish({ topic, messages: [{ value: { n: 3 } }] });
    await waitFor(() => received.includes(3), {
      timeoutMs: 60_000,
      message: 'a message published after the deletion arrives',
    });
    expect(transport.stats().publishFailures).toBe(0);
  }, 150_000);
});

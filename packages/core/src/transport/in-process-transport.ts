import { StateError } from '../errors/errors.js';
import { noopLogger, type CallOptions, type ComponentHealth, type Logger } from '../spec/common.js';
import { adaptLogger } from '../spec/adapt-logger.js';
import {
  DEAD_LETTER_TOPIC,
  type IncomingMessage,
  type MessageBatchHandler,
  type MessageHandler,
  type OutgoingMessage,
  type Subscription,
  type Transport,
} from '../spec/transport.js';
import { randomId } from '../util/random-id.js';

/** Options of {@link InProcessTransport}. */
export interface InProcessTransportOptions {
  /** Delivery attempts per message before it is dead-lettered. @default 3 */
  maxAttempts?: number;
  /** Topic that receives messages whose handler kept failing. @default 'dead-letter' */
  deadLetterTopic?: string;
  logger?: Logger;
}

interface Member {
  /** Per-message handlers are wrapped as single-message batch handlers. */
  handler: MessageBatchHandler;
  /** Most messages handed over at once (1 for per-message subscribers). */
  maxBatch: number;
  queue: IncomingMessage[];
  running: Promise<void> | undefined;
  active: boolean;
}

interface Group {
  members: Member[];
  next: number;
}

/**
 * Delivers messages between publishers and subscribers of the same process, asynchronously and in order
 * per subscriber. Subscribers sharing a `group` split the messages (same key → same member); without a
 * group each subscriber receives every message. Failed handlers are retried, then dead-lettered.
 */
export class InProcessTransport implements Transport {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'in-process';
  private readonly topics = new Map<string, Map<string, Group>>();
  private readonly maxAttempts: number;
  private readonly deadLetterTopic: string;
  private readonly logger: Logger;
  private closed = false;
  /** Number of messages dead-lettered so far. */
  deadLettered = 0;

  constructor(options: InProcessTransportOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.deadLetterTopic = options.deadLetterTopic ?? DEAD_LETTER_TOPIC;
    this.logger = adaptLogger(options.logger ?? noopLogger);
  }

  async publish({
    topic,
    messages,
    signal,
  }: { topic: string; messages: readonly OutgoingMessage[] } & CallOptions): Promise<void> {
    if (this.closed) throw new StateError('InProcessTransport is closed.');
    signal?.throwIfAborted();
    const groups = this.topics.get(topic);
    if (!groups) return;
    const touched = new Set<Member>();
    for (const message of messages) {
      const incoming: IncomingMessage = {
        topic,
        key: message.key,
        value: message.value,
        id: randomId(),
        timestamp: Date.now(),
      };
      for (const group of groups.values()) {
        const members = group.members.filter((member) => member.active);
        if (members.length === 0) continue;
        const index = message.key === undefined ? group.next++ % members.length : hashKey(message.key) % members.length;
        const member = members[index]!;
        member.queue.push(incoming);
        touched.add(member);
      }
    }
    // Pumped after queueing the whole publish, so a batch subscriber gets it in one batch.
    for (const member of touched) this.pump(member);
  }

  async subscribe({
    topic,
    handler,
    group,
    signal,
  }: { topic: string; handler: MessageHandler; group?: string } & CallOptions): Promise<Subscription> {
    return this.join(topic, group, (batch) => handler(batch.messages[0]!), 1, signal);
  }

  /** Delivers whatever queued up for this subscriber (up to `maxBatchMessages`, default 1000) at once. */
  async subscribeBatch({
    topic,
    handler,
    group,
    maxBatchMessages,
    signal,
  }: {
    topic: string;
    handler: MessageBatchHandler;
    group?: string;
    maxBatchMessages?: number;
  } & CallOptions): Promise<Subscription> {
    return this.join(topic, group, handler, maxBatchMessages ?? 1000, signal);
  }

  private async join(
    topic: string,
    group: string | undefined,
    handler: MessageBatchHandler,
    maxBatch: number,
    signal: AbortSignal | undefined,
  ): Promise<Subscription> {
    if (this.closed) throw new StateError('InProcessTransport is closed.');
    signal?.throwIfAborted();
    let groups = this.topics.get(topic);
    if (!groups) this.topics.set(topic, (groups = new Map()));
    const groupId = group ?? `solo-${randomId()}`;
    let entry = groups.get(groupId);
    if (!entry) groups.set(groupId, (entry = { members: [], next: 0 }));
    const member: Member = { handler, maxBatch, queue: [], running: undefined, active: true };
    entry.members.push(member);
    const owner = entry;
    return {
      unsubscribe: async () => {
        member.active = false;
        owner.members = owner.members.filter((candidate) => candidate !== member);
        await member.running;
      },
    };
  }

  private pump(member: Member): void {
    if (member.running) return;
    member.running = (async () => {
      while (member.queue.length > 0) {
        const messages = member.queue.splice(0, member.maxBatch);
        if (messages.length > 1 && (await this.attempt(member, messages)) === undefined) continue;
        // A single message, or a batch that kept failing: one at a time, so only the failing one is dead-lettered.
        for (const message of messages) await this.deliver(member, message);
      }
      member.running = undefined;
    })();
  }

  /** Tries a batch up to maxAttempts times; undefined when it was handled, else the last error. */
  private async attempt(member: Member, messages: IncomingMessage[]): Promise<{ error: unknown } | undefined> {
    let failure: { error: unknown } | undefined;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        await member.handler({ topic: messages[0]!.topic, messages });
        return undefined;
      } catch (error) {
        failure = { error };
      }
    }
    return failure;
  }

  private async deliver(member: Member, message: IncomingMessage): Promise<void> {
    const failure = await this.attempt(member, [message]);
    if (!failure) return;
    const lastError = failure.error;
    this.deadLettered++;
    this.logger.warn('message dead-lettered after repeated handler failures', { topic: message.topic, id: message.id });
    if (message.topic !== this.deadLetterTopic) {
      await this.publish({
        topic: this.deadLetterTopic,
        messages: [
          { key: message.key, value: { topic: message.topic, reason: String(lastError), original: message.value } },
        ],
      }).catch(() => undefined);
    }
  }

  /** Resolves when every queued message has been handled. */
  async flush(): Promise<void> {
    for (;;) {
      const running = [...this.topics.values()]
        .flatMap((groups) => [...groups.values()])
        .flatMap((group) => group.members)
        .map((member) => member.running)
        .filter((promise): promise is Promise<void> => promise !== undefined);
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  async health(): Promise<ComponentHealth> {
    return this.closed
      ? { status: 'down', detail: 'closed' }
      : { status: 'ok', data: { deadLettered: this.deadLettered } };
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    this.topics.clear();
  }
}

function hashKey(key: string): number {
  // FNV-1a: stable and cheap, so one key always lands on the same group member.
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

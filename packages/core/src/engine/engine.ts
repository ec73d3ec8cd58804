import { EventEmitter } from 'eventemitter3';
import { DharmaError } from '../errors/dharma-error.js';
import { StateError, StorageError } from '../errors/errors.js';
import { parseWith, ValidationError } from '../errors/validation-error.js';
import type { EngineMetrics } from '../metrics/engine-metrics.js';
import { FindingSchema, type Finding } from '../schemas/finding.js';
import {
  IngestRecordSchema,
  seriesKey,
  type IngestRecord,
  type IngestRecordInput,
  type MetricSample,
} from '../schemas/records.js';
import type { RemediationResult } from '../schemas/remediation.js';
import type { Analyzer, AnalyzerContext, AnalyzerFinding } from '../spec/analyzer.js';
import type { Clock, ComponentHealth, Logger } from '../spec/common.js';
import { adaptLogger } from '../spec/adapt-logger.js';
import type { FindingHandler, FindingHandlerContext } from '../spec/finding-handler.js';
import type { Storage } from '../spec/storage.js';
import type { IncomingMessage, Subscription, Transport } from '../spec/transport.js';
import { randomId } from '../util/random-id.js';
import { AnalyzerStateKeeper } from './analyzer-state.js';
import { sortDelivered, type CheckedRecord } from './dead-letter.js';
import {
  ConsumeOptionsSchema,
  EngineOptionsSchema,
  type EngineOptions,
  type ResolvedEngineOptions,
} from './engine-options.js';
import type { EngineErrorContext, EngineEvents, EngineHealth, EngineStats, IngestResult } from './engine-types.js';
import { FindingPublisher } from './finding-publisher.js';
import { linkResolvedRootCause } from './root-cause-link.js';

const STATE_PREFIX = 'analyzer:';

/** Every record kind the engine ingests. */
const RECORD_KINDS: readonly IngestRecord['kind'][] = ['metric', 'event', 'log'];

/**
 * The in-process AIOps engine. Validates what you `ingest()`, routes records to its analyzers in
 * arrival order, stores and publishes their findings, hands findings to handlers such as the
 * `Remediator`, and emits typed events.
 *
 * ```ts
 * const engine = new Engine({ analyzers: [new AnomalyDetector()] });
 * engine.on('anomaly', (finding) => console.log(finding.summary));
 * await engine.ingest({ resource: 'web-1', metric: 'cpu', value: 0.97 });
 * ```
 */
export class Engine extends EventEmitter<EngineEvents> {
  readonly storage: Storage;
  readonly transport: Transport;
  readonly logger: Logger;
  readonly clock: Clock;
  private readonly metrics: EngineMetrics;
  private readonly analyzers = new Map<string, Analyzer>();
  /** Names of the analyzers that accept every record kind (they get each batch unfiltered). */
  private readonly unfiltered = new Set<string>();
  private readonly handlers = new Map<string, FindingHandler>();
  private readonly options: ResolvedEngineOptions;
  /** Publishes findings and remediation results; absent when `publishFindings` is off. */
  private readonly publisher: FindingPublisher | undefined;
  private readonly inFlightHandlers = new Set<Promise<void>>();
  private readonly subscriptions: Subscription[] = [];
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private started = false;
  private closed = false;
  private readonly counters: EngineStats = { ingested: 0, rejected: 0, findings: 0, errors: 0 };
  private readonly analyzerState: AnalyzerStateKeeper;

  /** Parses `options` once (a wrong option throws `ValidationError` naming it); see {@link EngineOptionsSchema}. */
  constructor(options: EngineOptions = {}) {
    super();
    this.options = parseWith(EngineOptionsSchema, options, 'engine options');
    const { storage, transport, logger, clock, metrics } = this.options;
    this.storage = storage;
    this.transport = transport;
    this.logger = adaptLogger(logger);
    this.clock = clock;
    this.metrics = metrics;
    this.publisher = this.options.publishFindings
      ? new FindingPublisher({
          transport,
          topics: this.options.topics,
          maxInFlight: this.options.maxInFlightPublishes,
          onError: (error) => this.report(toError(error), { source: 'transport' }),
        })
      : undefined;
    this.analyzerState = new AnalyzerStateKeeper(this.storage, STATE_PREFIX);
    for (const analyzer of this.options.analyzers) this.use(analyzer);
    for (const handler of this.options.handlers) this.useHandler(handler);
  }

  /** Registers an analyzer. Names must be unique. */
  use(analyzer: Analyzer): this {
    this.assertOpen();
    if (this.analyzers.has(analyzer.name)) {
      throw new StateError(
        `An analyzer named "${analyzer.name}" is already registered; give each analyzer a unique name.`,
      );
    }
    this.analyzers.set(analyzer.name, analyzer);
    if (RECORD_KINDS.every((kind) => analyzer.accepts.includes(kind))) this.unfiltered.add(analyzer.name);
    if (this.started) this.startTimer(analyzer);
    return this;
  }

  /** Registers a finding handler (e.g. a `Remediator`). */
  useHandler(handler: FindingHandler): this {
    this.assertOpen();
    if (this.handlers.has(handler.name))
      throw new StateError(`A handler named "${handler.name}" is already registered.`);
    this.handlers.set(handler.name, handler);
    return this;
  }

  /** The registered analyzer with this name, if any. */
  analyzer<T extends Analyzer = Analyzer>(name: string): T | undefined {
    return this.analyzers.get(name) as T | undefined;
  }

  /**
   * Restores every analyzer's saved state from storage and starts periodic ticks. Optional: an engine
   * that is never started still ingests, but learns from scratch and never ticks on its own.
   */
  async start(): Promise<this> {
    this.assertOpen();
    if (this.started) return this;
    this.started = true;
    await this.restoreState();
    for (const analyzer of this.analyzers.values()) this.startTimer(analyzer);
    return this;
  }

  /**
   * Ingests one record or a batch. A single invalid record throws {@link ValidationError} naming the field;
   * in a batch, invalid records are rejected, counted and reported through the `error` event, and the rest
   * are processed. Records without `kind` are metric samples; a missing `timestamp` means now.
   */
  ingest(input: IngestRecordInput | readonly IngestRecordInput[]): Promise<IngestResult> {
    this.assertOpen();
    if (!Array.isArray(input)) {
      const result = IngestRecordSchema.safeParse(input);
      if (!result.success) {
        this.counters.rejected++;
        this.metrics.recordsRejected('validation', 1);
        throw ValidationError.fromZod(result.error, 'record');
      }
      return this.enqueue([this.stamp(result.data as IngestRecord)], [], []);
    }
    const accepted: IngestRecord[] = [];
    const errors: ValidationError[] = [];
    const rejectedIndexes: number[] = [];
    (input as readonly unknown[]).forEach((value, index) => {
      const checked = this.check(value, index);
      if (checked.ok) accepted.push(checked.record);
      else {
        errors.push(checked.error);
        rejectedIndexes.push(index);
      }
    });
    return this.enqueue(accepted, errors, rejectedIndexes);
  }

  /**
   * Streams records from the transport into the engine (the scale-out mode: engines sharing a `group`
   * split the topics' partitions). Each message value is one record or an array of records. When the
   * transport delivers batches (`subscribeBatch`, e.g. a Kafka partition fetch), a whole batch is ingested
   * at once: one storage write, one pass of each analyzer, its findings published together; the batch is
   * acknowledged (offsets committed) only once its samples are stored, and a failed storage write
   * rejects it, so the transport redelivers it. Invalid records are counted, reported and sent to the
   * dead-letter topic; valid ones are never dropped.
   */
  async consume(options: { topics?: string[]; group?: string } = {}): Promise<void> {
    this.assertOpen();
    const { topics, group: groupName } = parseWith(ConsumeOptionsSchema, options, 'consume options');
    const group = groupName === undefined ? {} : { group: groupName };
    for (const topic of topics) {
      const subscription = this.transport.subscribeBatch
        ? await this.transport.subscribeBatch({
            topic,
            ...group,
            handler: (batch) => this.handleMessages(batch.messages),
          })
        : await this.transport.subscribe({ topic, ...group, handler: (message) => this.handleMessages([message]) });
      this.subscriptions.push(subscription);
    }
  }

  /** Ingests delivered messages as one batch; rejects (so nothing is acknowledged) when they were not stored. */
  private async handleMessages(messages: readonly IncomingMessage[]): Promise<void> {
    const { accepted, deadLetters } = sortDelivered(messages, (value, index) => this.check(value, index));
    if (deadLetters.length > 0) {
      // Before anything is ingested: if the dead-letter publish fails, the batch is redelivered whole.
      await this.transport.publish({ topic: this.options.deadLetterTopic, messages: deadLetters });
    }
    const run = this.queue.then(() => this.process(accepted, [], []));
    this.queue = run.catch(() => undefined);
    await run;
  }

  /** Runs every analyzer's `tick()` now (the engine also does it on each analyzer's interval once started). */
  async tick(): Promise<Finding[]> {
    this.assertOpen();
    const run = this.queue.then(async () => {
      const produced: Finding[] = [];
      for (const analyzer of this.analyzers.values()) produced.push(...(await this.runTick(analyzer)));
      return this.deliver(produced);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Saves every analyzer's state to storage, so a restarted engine keeps what it learned. Analyzers with
   * `snapshotParts` on a storage with `writeStateParts` are saved in bounded batches, and after the first
   * save only what changed since the previous one; others as one value (`putState`).
   */
  async snapshot(): Promise<void> {
    await this.queue;
    await this.analyzerState.save(this.analyzers.values());
  }

  /** Waits until every queued ingest and every in-flight handler (remediations) has finished. */
  async flush(): Promise<void> {
    await this.queue;
    await this.publisher?.flush();
    while (this.inFlightHandlers.size > 0) await Promise.allSettled([...this.inFlightHandlers]);
    for (const handler of this.handlers.values()) await handler.flush?.();
    await this.transport.flush?.();
  }

  /** Counters since creation. */
  stats(): EngineStats {
    return { ...this.counters };
  }

  /** Health of the engine and each component (storage, transport, analyzers, handlers). */
  async health(): Promise<EngineHealth> {
    const components: Record<string, ComponentHealth> = {};
    const probe = async (name: string, check: () => Promise<ComponentHealth>) => {
      try {
        components[name] = await check();
      } catch (error) {
        components[name] = { status: 'down', detail: toError(error).message };
      }
    };
    await probe(`storage:${this.storage.name}`, () => this.storage.health());
    await probe(`transport:${this.transport.name}`, () => this.transport.health());
    for (const analyzer of this.analyzers.values())
      components[`analyzer:${analyzer.name}`] = { status: this.closed ? 'down' : 'ok' };
    for (const handler of this.handlers.values()) {
      await probe(`handler:${handler.name}`, async () => (handler.health ? handler.health() : { status: 'ok' }));
    }
    const statuses = Object.values(components).map((component) => component.status);
    const status =
      this.closed || statuses.includes('down') ? 'down' : statuses.includes('degraded') ? 'degraded' : 'ok';
    return { status, components, stats: this.stats() };
  }

  /** Stops consuming and ticking, saves analyzer state, waits for in-flight work and closes the adapters. */
  async close(): Promise<void> {
    if (this.closed) return;
    for (const timer of this.timers) clearInterval(timer);
    for (const subscription of this.subscriptions) await subscription.unsubscribe().catch(() => undefined);
    await this.flush().catch((error: unknown) => this.report(toError(error), { source: 'handler' }));
    await this.snapshot().catch((error: unknown) => this.report(toError(error), { source: 'storage' }));
    this.closed = true;
    for (const handler of this.handlers.values()) await handler.close?.();
    for (const analyzer of this.analyzers.values()) await analyzer.close?.();
    if (this.options.closeAdapters) {
      await this.transport.close();
      await this.storage.close();
    }
  }

  // ---- internals -------------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.closed) throw new StateError('The engine is closed: create a new engine to keep ingesting.');
  }

  private stamp(record: IngestRecord): IngestRecord {
    if (record.timestamp === undefined) (record as { timestamp: number }).timestamp = this.clock.now();
    return record;
  }

  /** Validates and stamps one record of a batch; a rejected one is counted and reported. */
  private check(value: unknown, index: number): CheckedRecord {
    const result = IngestRecordSchema.safeParse(value);
    if (result.success) return { ok: true, record: this.stamp(result.data as IngestRecord) };
    const error = ValidationError.fromZod(result.error, `records[${index}]`);
    this.counters.rejected++;
    this.metrics.recordsRejected('validation', 1);
    this.report(error, { source: 'ingest', index, record: value });
    return { ok: false, error };
  }

  private report(error: Error, context: EngineErrorContext): void {
    this.counters.errors++;
    this.metrics.errorOccurred(context.source);
    this.logger.warn(error.message, { ...context, record: undefined });
    try {
      this.emit('error', error, context);
    } catch (listenerError) {
      this.logger.error('an error listener threw', { error: String(listenerError) });
    }
  }

  private enqueue(
    records: IngestRecord[],
    errors: ValidationError[],
    rejectedIndexes: number[],
  ): Promise<IngestResult> {
    const run = this.queue.then(() => this.process(records, errors, rejectedIndexes));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A failed sample write rejects before the analyzers run, for every caller (ingest and consume alike). */
  private async process(
    records: IngestRecord[],
    errors: ValidationError[],
    rejectedIndexes: number[],
  ): Promise<IngestResult> {
    if (records.length === 0) return { accepted: 0, rejected: errors.length, findings: [], errors, rejectedIndexes };
    if (this.options.persistSamples) {
      const points = records
        .filter((record): record is MetricSample => record.kind === 'metric')
        .map((sample) => ({ series: seriesKey(sample), timestamp: sample.timestamp, value: sample.value }));
      if (points.length > 0) {
        // Accepted means stored: a failed write rejects the whole call before any analyzer learns from the
        // records, so the caller (or the transport, which then does not acknowledge) can retry the batch.
        try {
          await this.storage.appendPoints({ points });
        } catch (error) {
          this.report(toError(error), { source: 'storage' });
          throw storeFailure(error, records.length);
        }
      }
    }
    this.counters.ingested += records.length;
    const byKind = new Map<string, number>();
    for (const record of records) byKind.set(record.kind, (byKind.get(record.kind) ?? 0) + 1);
    for (const [kind, count] of byKind) this.metrics.recordsIngested(kind, count);
    this.safeEmit('ingested', records);

    const produced: Finding[] = [];
    const context = this.context();
    for (const analyzer of this.analyzers.values()) {
      const input = this.unfiltered.has(analyzer.name)
        ? records
        : records.filter((record) => analyzer.accepts.includes(record.kind));
      if (input.length === 0) continue;
      const started = performance.now();
      try {
        produced.push(...this.complete(analyzer.name, await analyzer.analyze(input, context)));
      } catch (error) {
        this.report(toError(error), { source: 'analyzer', component: analyzer.name });
      } finally {
        this.metrics.analyzerDuration(analyzer.name, (performance.now() - started) / 1000);
      }
    }
    const findings = await this.deliver(produced);
    findings.push(...(await this.deliver(await this.linkRootCauses(findings))));
    return { accepted: records.length, rejected: errors.length, findings, errors, rejectedIndexes };
  }

  /** With `rootCause` options: a `root-cause` finding for each finding on a graph node that has one. */
  private async linkRootCauses(findings: readonly Finding[]): Promise<Finding[]> {
    const options = this.options.rootCause;
    if (options === undefined || findings.length === 0) return [];
    const linked: Finding[] = [];
    for (const finding of findings) {
      if (finding.kind === 'root-cause') continue;
      try {
        const rootCause = await linkResolvedRootCause(finding, this.storage, options, randomId);
        if (rootCause !== undefined) linked.push(rootCause);
      } catch (error) {
        this.report(toError(error), { source: 'analyzer', component: 'root-cause' });
      }
    }
    return linked;
  }

  private async runTick(analyzer: Analyzer): Promise<Finding[]> {
    if (!analyzer.tick) return [];
    try {
      return this.complete(analyzer.name, await analyzer.tick(this.context()));
    } catch (error) {
      this.report(toError(error), { source: 'tick', component: analyzer.name });
      return [];
    }
  }

  private startTimer(analyzer: Analyzer): void {
    if (!analyzer.tick || !analyzer.tickIntervalMs) return;
    const timer = setInterval(() => {
      const run = this.queue.then(async () => this.deliver(await this.runTick(analyzer)));
      this.queue = run.catch(() => undefined);
    }, analyzer.tickIntervalMs);
    (timer as { unref?: () => void }).unref?.();
    this.timers.push(timer);
  }

  /** Fills ids and validates analyzer output: an analyzer returning garbage is reported, not propagated. */
  private complete(analyzerName: string, findings: AnalyzerFinding[]): Finding[] {
    const valid: Finding[] = [];
    for (const raw of findings) {
      const result = FindingSchema.safeParse({
        ...raw,
        id: raw.id ?? randomId(),
        analyzer: raw.analyzer ?? analyzerName,
      });
      if (result.success) valid.push(result.data);
      else
        this.report(ValidationError.fromZod(result.error, `finding from analyzer "${analyzerName}"`), {
          source: 'analyzer',
          component: analyzerName,
        });
    }
    return valid;
  }

  private async deliver(findings: Finding[]): Promise<Finding[]> {
    if (findings.length === 0) return findings;
    try {
      await this.storage.saveFindings({ findings });
    } catch (error) {
      this.report(toError(error), { source: 'storage' });
    }
    await this.publisher?.publishFindings(findings);
    for (const finding of findings) {
      this.counters.findings++;
      this.metrics.findingProduced(finding.kind, finding.severity);
      this.safeEmit('finding', finding);
      this.safeEmit(finding.kind, finding as never);
      this.dispatchToHandlers(finding);
    }
    return findings;
  }

  private dispatchToHandlers(finding: Finding): void {
    if (this.handlers.size === 0) return;
    const context: FindingHandlerContext = {
      ...this.context(),
      reportRemediation: (result) => this.reportRemediation(result),
    };
    for (const handler of this.handlers.values()) {
      const promise = handler
        .handleFinding(finding, context)
        .catch((error: unknown) => this.report(toError(error), { source: 'handler', component: handler.name }))
        .finally(() => this.inFlightHandlers.delete(promise));
      this.inFlightHandlers.add(promise);
    }
  }

  private reportRemediation(result: RemediationResult): void {
    this.safeEmit('remediation', result);
    this.publisher?.publishRemediation(result);
  }

  private context(): AnalyzerContext {
    return { clock: this.clock, logger: this.logger, storage: this.storage, newId: randomId };
  }

  private async restoreState(): Promise<void> {
    for (const analyzer of this.analyzers.values()) {
      try {
        await this.analyzerState.restore(analyzer);
      } catch (error) {
        this.report(toError(error), { source: 'storage', component: analyzer.name });
      }
    }
  }

  private safeEmit<E extends keyof EngineEvents>(event: E, ...args: Parameters<EngineEvents[E]>): void {
    try {
      (this.emit as (event: E, ...rest: unknown[]) => boolean)(event, ...args);
    } catch (error) {
      // A throwing listener must not break ingestion; report it once through the logger.
      this.logger.error(`a "${String(event)}" listener threw`, { error: String(error) });
    }
  }
}

/**
 * The error an ingest call rejects with when its samples could not be stored: the adapter's own
 * `StorageError` when it is one (keeping its `isRetryable`), otherwise a retryable `StorageError`.
 */
function storeFailure(error: unknown, count: number): DharmaError {
  if (DharmaError.isInstance(error) && error.code === 'STORAGE_ERROR') return error;
  return new StorageError(
    `Storing ${count} ingested record(s) failed, none was accepted; retry the call: ${toError(error).message}`,
    { cause: error, isRetryable: true },
  );
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : DharmaError.isInstance(error) ? error : new Error(String(error));
}

/**
 * Creates an {@link Engine}.
 * @deprecated Construct it with `new Engine(options)` (the SDK's one construction style); this alias is removed
 * in a later 0.x release.
 */
export function createEngine(options: EngineOptions = {}): Engine {
  return new Engine(options);
}

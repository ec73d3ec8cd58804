import { z } from 'zod';
import { parseWith } from '../errors/validation-error.js';
import {
  WILDCARD,
  collapseDates,
  fitsPattern,
  foldUnits,
  generalisePattern,
  maskWord,
  splitWords,
} from './log-tokens.js';

/** Options of a {@link LogTemplateMiner}; one configuration serves every kind of log. */
export const LogTemplateMinerOptionsSchema = z.object({
  /**
   * How many messages that agree everywhere except at one word must be seen, as distinct templates, before
   * that word is taken for a variable and the templates are merged into one.
   * @default 3
   */
  mergeThreshold: z.number().int().min(2).default(3),
  /**
   * Share of a template's words that must stay constant for a merge (a template of variables only would
   * swallow unrelated messages).
   * @default 0.5
   */
  minConstantShare: z.number().min(0).max(1).default(0.5),
  /** Most templates kept; the least recently seen are forgotten beyond it. @default 10000 */
  maxTemplates: z.number().int().min(10).default(10_000),
  /** Example messages kept per template. @default 3 */
  maxExamples: z.number().int().min(0).default(3),
  /** Most message shapes remembered for the fast path (bounded memory). @default 100000 */
  maxShapes: z.number().int().min(100).default(100_000),
});

/** Resolved options of a {@link LogTemplateMiner}. */
export type LogTemplateMinerOptions = z.output<typeof LogTemplateMinerOptionsSchema>;

/** One learned template. */
export interface LogTemplate {
  /** Stable id: kept across snapshot/restore; when templates merge, the oldest id survives. */
  id: number;
  /** The template: the message with its variable parts written `<*>`. */
  template: string;
  /** Messages seen with this template. */
  count: number;
  /** A few example messages. */
  examples: string[];
}

/** What {@link LogTemplateMiner.add} found for one message. */
export interface LogTemplateMatch {
  /** Id of the template now holding the message. */
  id: number;
  /** The template at the time the message was added. */
  template: string;
  /** Whether the message created a template never seen before. */
  isNew: boolean;
}

interface Cluster {
  id: number;
  tokens: string[];
  /** Positions whose token is a pattern learned by a merge (`rhost=<*>`): any value fitting it matches. */
  open: boolean[];
  count: number;
  lastSeen: number;
  examples: string[];
  mergedInto: Cluster | undefined;
}

/** JSON snapshot of a miner (see {@link LogTemplateMiner.snapshot}). */
export interface LogTemplateMinerSnapshot {
  version: 1;
  nextId: number;
  sequence: number;
  templates: Array<{
    id: number;
    tokens: string[];
    open: number[];
    count: number;
    lastSeen: number;
    examples: string[];
  }>;
  aliases: Array<[number, number]>;
}

/**
 * Online log template mining with bounded memory, in the manner of Drain but with one configuration for every
 * log: words are masked by general token classes (anything with a digit, paths, URLs), messages with the same
 * masked shape share a template at once, and a word becomes a variable when `mergeThreshold` templates agree
 * everywhere else (position statistics), which also merges templates that turn out to be the same.
 * Template ids are stable: {@link snapshot}/{@link restore} keep them across restarts.
 */
export class LogTemplateMiner {
  readonly options: LogTemplateMinerOptions;
  readonly #byShape = new Map<string, Cluster>();
  readonly #byLength = new Map<number, Set<Cluster>>();
  readonly #siblings = new Map<string, Set<Cluster>>();
  readonly #byId = new Map<number, Cluster>();
  readonly #aliases = new Map<number, number>();
  #nextId = 1;
  #sequence = 0;
  #live = 0;

  constructor(options: z.input<typeof LogTemplateMinerOptionsSchema> = {}) {
    this.options = parseWith(LogTemplateMinerOptionsSchema, options, 'options');
  }

  /** Number of templates held. */
  get size(): number {
    return this.#live;
  }

  /** Learns one message (the free-text part of a log line) and returns its template. */
  add(content: string): LogTemplateMatch {
    const shapes = foldUnits(collapseDates(splitWords(content), content).map(maskWord));
    const key = shapes.join(' ');
    this.#sequence += 1;
    let cluster = this.#byShape.get(key);
    let isNew = false;
    if (cluster) cluster = root(cluster);
    else {
      cluster = this.#findMatch(shapes);
      if (!cluster) {
        cluster = this.#create(shapes);
        isNew = true;
      }
      this.#remember(key, cluster);
    }
    cluster.count += 1;
    cluster.lastSeen = this.#sequence;
    if (cluster.examples.length < this.options.maxExamples && !cluster.examples.includes(content))
      cluster.examples.push(content);
    if (isNew) cluster = this.#generalise(cluster, shapes);
    return { id: cluster.id, template: cluster.tokens.join(' '), isNew };
  }

  /** The template a message would get, without learning from it; `undefined` when none fits. */
  match(content: string): LogTemplateMatch | undefined {
    const shapes = foldUnits(collapseDates(splitWords(content), content).map(maskWord));
    const known = this.#byShape.get(shapes.join(' '));
    const cluster = known ? root(known) : this.#findMatch(shapes);
    return cluster ? { id: cluster.id, template: cluster.tokens.join(' '), isNew: false } : undefined;
  }

  /** The current id of a template id handed out earlier (ids of merged templates resolve to the survivor). */
  resolve(id: number): number {
    let current = id;
    for (let next = this.#aliases.get(current); next !== undefined; next = this.#aliases.get(current)) current = next;
    return current;
  }

  /** A template by id (merged ids resolve to the survivor); `undefined` when unknown or forgotten. */
  template(id: number): LogTemplate | undefined {
    const cluster = this.#byId.get(this.resolve(id));
    return cluster ? describe(cluster) : undefined;
  }

  /** Every template held, most frequent first. */
  templates(): LogTemplate[] {
    return [...this.#byId.values()].sort((a, b) => b.count - a.count || a.id - b.id).map(describe);
  }

  /** A JSON-serialisable snapshot (templates, ids and merge aliases). */
  snapshot(): LogTemplateMinerSnapshot {
    return {
      version: 1,
      nextId: this.#nextId,
      sequence: this.#sequence,
      templates: [...this.#byId.values()].map((cluster) => ({
        id: cluster.id,
        tokens: [...cluster.tokens],
        open: cluster.open.flatMap((isOpen, index) => (isOpen ? [index] : [])),
        count: cluster.count,
        lastSeen: cluster.lastSeen,
        examples: [...cluster.examples],
      })),
      aliases: [...this.#aliases.entries()],
    };
  }

  /** Replaces the state with a snapshot; snapshots of another version are ignored (returns `false`). */
  restore(state: unknown): boolean {
    const parsed = SnapshotSchema.safeParse(state);
    if (!parsed.success) return false;
    this.#byShape.clear();
    this.#byLength.clear();
    this.#siblings.clear();
    this.#byId.clear();
    this.#aliases.clear();
    this.#live = 0;
    for (const saved of parsed.data.templates) {
      const cluster: Cluster = {
        id: saved.id,
        tokens: [...saved.tokens],
        open: saved.tokens.map((_, index) => saved.open.includes(index)),
        count: saved.count,
        lastSeen: saved.lastSeen,
        examples: [...saved.examples],
        mergedInto: undefined,
      };
      this.#insert(cluster);
      this.#remember(cluster.tokens.join(' '), cluster);
    }
    for (const [from, to] of parsed.data.aliases) this.#aliases.set(from, to);
    this.#nextId = parsed.data.nextId;
    this.#sequence = parsed.data.sequence;
    return true;
  }

  #insert(cluster: Cluster): void {
    this.#byId.set(cluster.id, cluster);
    let group = this.#byLength.get(cluster.tokens.length);
    if (!group) this.#byLength.set(cluster.tokens.length, (group = new Set()));
    group.add(cluster);
    this.#live += 1;
  }

  #remove(cluster: Cluster): void {
    this.#byId.delete(cluster.id);
    this.#byLength.get(cluster.tokens.length)?.delete(cluster);
    this.#live -= 1;
  }

  #remember(key: string, cluster: Cluster): void {
    if (this.#byShape.size >= this.options.maxShapes) this.#byShape.clear();
    this.#byShape.set(key, cluster);
  }

  /** The most specific template that fits the shapes exactly (wildcards match anything). */
  #findMatch(shapes: readonly string[]): Cluster | undefined {
    const group = this.#byLength.get(shapes.length);
    if (!group) return undefined;
    let best: Cluster | undefined;
    let bestConstants = -1;
    for (const cluster of group) {
      let constants = 0;
      let fits = true;
      for (let index = 0; index < shapes.length; index += 1) {
        const token = cluster.tokens[index]!;
        if (token === WILDCARD) continue;
        if (token !== shapes[index] && !(cluster.open[index] && fitsPattern(token, shapes[index]!))) {
          fits = false;
          break;
        }
        constants += 1;
      }
      if (fits && constants > bestConstants) {
        best = cluster;
        bestConstants = constants;
      }
    }
    return best;
  }

  #create(shapes: string[]): Cluster {
    const cluster: Cluster = {
      id: this.#nextId++,
      tokens: [...shapes],
      open: shapes.map(() => false),
      count: 0,
      lastSeen: this.#sequence,
      examples: [],
      mergedInto: undefined,
    };
    this.#insert(cluster);
    if (this.#live > this.options.maxTemplates) this.#evict();
    return cluster;
  }

  /**
   * A new template that differs from known templates at exactly one word joins their sibling set for that
   * position; when the set reaches `mergeThreshold`, the word is a variable and the set merges into one.
   */
  #generalise(created: Cluster, shapes: readonly string[]): Cluster {
    const group = this.#byLength.get(shapes.length);
    if (!group) return created;
    let result = created;
    if (created.tokens.includes(WILDCARD) && keepsEnoughConstants(created.tokens, -1, this.options.minConstantShare)) {
      const covered = [...group].filter(
        (cluster) => cluster !== created && covers(created.tokens, created.open, cluster.tokens),
      );
      if (covered.length > 0) result = this.#merge([created, ...covered], -1);
    }
    for (const cluster of [...group]) {
      if (cluster === result || cluster.mergedInto) continue;
      const position = singleDifference(cluster, shapes);
      if (position < 0 || !keepsEnoughConstants(cluster.tokens, position, this.options.minConstantShare)) continue;
      const signature = `${position}\u0001${cluster.tokens.map((token, index) => (index === position ? '' : token)).join('\u0002')}`;
      let siblings = this.#siblings.get(signature);
      if (!siblings) {
        if (this.#siblings.size >= this.options.maxTemplates * 4) this.#siblings.clear();
        this.#siblings.set(signature, (siblings = new Set()));
      }
      siblings.add(cluster);
      siblings.add(root(result));
      const live = new Set([...siblings].map(root));
      if (live.size >= this.options.mergeThreshold) {
        result = this.#merge([...live], position);
        this.#siblings.delete(signature);
        break;
      }
    }
    return root(result);
  }

  /** Merges clusters into the oldest one, with a wildcard at `position`, folding in any template it now covers. */
  #merge(clusters: Cluster[], position: number): Cluster {
    const open = clusters[0]!.open.map(
      (_, index) => clusters.some((cluster) => cluster.open[index]) || index === position,
    );
    const tokens = clusters[0]!.tokens.map((token, index) => {
      const values = clusters.map((cluster) => cluster.tokens[index]!);
      if (values.every((value) => value === token) && index !== position) return token;
      open[index] = true;
      return generalisePattern(values);
    });
    const members = new Set(clusters);
    for (const other of this.#byLength.get(tokens.length) ?? [])
      if (covers(tokens, open, other.tokens)) members.add(other);
    const ordered = [...members].sort((a, b) => a.id - b.id);
    const target = ordered[0]!;
    target.tokens = tokens;
    target.open = open;
    for (const other of ordered.slice(1)) {
      target.count += other.count;
      target.lastSeen = Math.max(target.lastSeen, other.lastSeen);
      for (const example of other.examples) {
        if (target.examples.length >= this.options.maxExamples) break;
        if (!target.examples.includes(example)) target.examples.push(example);
      }
      this.#aliases.set(other.id, target.id);
      this.#remove(other);
      other.mergedInto = target;
    }
    return target;
  }

  /** Forgets the least recently seen tenth of the templates. */
  #evict(): void {
    const ordered = [...this.#byId.values()].sort((a, b) => a.lastSeen - b.lastSeen);
    for (const cluster of ordered.slice(0, Math.ceil(ordered.length / 10))) {
      this.#remove(cluster);
      for (const [from, to] of this.#aliases) if (to === cluster.id) this.#aliases.delete(from);
    }
    this.#byShape.clear();
    this.#siblings.clear();
  }
}

const SnapshotSchema = z.object({
  version: z.literal(1),
  nextId: z.number().int().min(1),
  sequence: z.number().int().min(0),
  templates: z.array(
    z.object({
      id: z.number().int(),
      tokens: z.array(z.string()),
      open: z.array(z.number().int()),
      count: z.number().int().min(0),
      lastSeen: z.number(),
      examples: z.array(z.string()),
    }),
  ),
  aliases: z.array(z.tuple([z.number().int(), z.number().int()])),
});

function root(cluster: Cluster): Cluster {
  let current = cluster;
  while (current.mergedInto) current = current.mergedInto;
  return current;
}

function describe(cluster: Cluster): LogTemplate {
  return { id: cluster.id, template: cluster.tokens.join(' '), count: cluster.count, examples: [...cluster.examples] };
}

/** The one position where `tokens` (wildcards match anything) and `shapes` differ; -1 when not exactly one. */
function singleDifference(cluster: Cluster, shapes: readonly string[]): number {
  let position = -1;
  for (let index = 0; index < shapes.length; index += 1) {
    const token = cluster.tokens[index]!;
    if (token === WILDCARD || token === shapes[index] || (cluster.open[index] && fitsPattern(token, shapes[index]!)))
      continue;
    if (position >= 0) return -1;
    position = index;
  }
  return position;
}

/** Whether a template still has enough constant words once the word at `position` is a variable. */
function keepsEnoughConstants(tokens: readonly string[], position: number, share: number): boolean {
  let constants = 0;
  for (let index = 0; index < tokens.length; index += 1) {
    if (index !== position && tokens[index] !== WILDCARD) constants += 1;
  }
  return constants >= 1 && constants >= share * tokens.length;
}

/** Whether every message of `inner` fits `outer`. */
function covers(outer: readonly string[], open: readonly boolean[], inner: readonly string[]): boolean {
  for (let index = 0; index < outer.length; index += 1) {
    if (
      outer[index] !== WILDCARD &&
      outer[index] !== inner[index] &&
      !(open[index] && fitsPattern(outer[index]!, inner[index]!))
    )
      return false;
  }
  return true;
}

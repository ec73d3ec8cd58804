/** What {@link runInKeyLanes} did: how many items from the start all finished, and the first failure. */
export interface KeyLanesResult {
  /** Length of the contiguous prefix of finished items (index 0..finished-1): safe to commit. */
  finished: number;
  /** The first error a lane threw, if any (that lane stopped there; the other lanes went on). */
  failure: { error: unknown } | undefined;
}

/**
 * Runs `run(index)` for items `0..count-1` in key lanes: items with the same key (`keyOf`, `undefined`
 * = one shared keyless lane) run one after another in index order; different lanes run side by side,
 * at most `concurrency` at once (1 = strictly in index order). A lane stops at its first error or
 * when `stopped()` turns true. Never throws.
 */
export async function runInKeyLanes(options: {
  count: number;
  concurrency: number;
  keyOf: (index: number) => string | undefined;
  run: (index: number) => Promise<void>;
  stopped: () => boolean;
}): Promise<KeyLanesResult> {
  const { count, concurrency, keyOf, run, stopped } = options;
  const done = new Uint8Array(count);
  const lanes = new Map<string | undefined, number[]>();
  for (let index = 0; index < count; index++) {
    const key = concurrency > 1 ? keyOf(index) : undefined;
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = []));
    lane.push(index);
  }
  const queue = [...lanes.values()];
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      try {
        for (const index of lane) {
          if (stopped()) break;
          await run(index);
          done[index] = 1;
        }
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, worker));
  let finished = 0;
  while (finished < count && done[finished] === 1) finished++;
  return { finished, failure };
}

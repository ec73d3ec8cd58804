/** One step of a path into an object: a key, or a list element matched by its keys (e.g. `name`). */
export type PathStep = { key: string } | { match: Record<string, unknown> } | { value: unknown } | { index: number };

/** A path for humans: `spec.template.spec.containers[name=app].image`, `metadata.labels.team`. */
export function formatPath(steps: readonly PathStep[]): string {
  let text = '';
  for (const step of steps) {
    if ('key' in step)
      text += /^[A-Za-z_][A-Za-z0-9_]*$/.test(step.key)
        ? `${text ? '.' : ''}${step.key}`
        : `[${JSON.stringify(step.key)}]`;
    else if ('match' in step)
      text += `[${Object.entries(step.match)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(',')}]`;
    else if ('value' in step) text += `[=${JSON.stringify(step.value)}]`;
    else text += `[${step.index}]`;
  }
  return text;
}

/** The value at `steps` in `object`, and whether it exists. */
export function resolvePath(object: unknown, steps: readonly PathStep[]): { found: boolean; value?: unknown } {
  let current: unknown = object;
  for (const step of steps) {
    if ('key' in step) {
      if (
        current === null ||
        typeof current !== 'object' ||
        Array.isArray(current) ||
        !Object.hasOwn(current, step.key)
      )
        return { found: false };
      current = (current as Record<string, unknown>)[step.key];
    } else if ('match' in step) {
      if (!Array.isArray(current)) return { found: false };
      current = current.find(
        (element) =>
          element !== null &&
          typeof element === 'object' &&
          Object.entries(step.match).every(
            ([key, value]) => JSON.stringify((element as Record<string, unknown>)[key]) === JSON.stringify(value),
          ),
      );
      if (current === undefined) return { found: false };
    } else if ('value' in step) {
      if (!Array.isArray(current)) return { found: false };
      const wanted = JSON.stringify(step.value);
      current = current.find((element) => JSON.stringify(element) === wanted);
      if (current === undefined) return { found: false };
    } else {
      if (!Array.isArray(current) || step.index >= current.length) return { found: false };
      current = current[step.index];
    }
  }
  return { found: true, value: current };
}

/**
 * The leaf field paths of a `managedFields[].fieldsV1` set: `f:name` keys, `k:{...}` list elements by key,
 * `v:...` set values, `i:n` indexes; a `.` entry marks the element itself as owned.
 */
export function fieldsV1Leaves(fields: Record<string, unknown>, prefix: PathStep[] = []): PathStep[][] {
  const leaves: PathStep[][] = [];
  const entries = Object.entries(fields).filter(([name]) => name !== '.');
  if (entries.length === 0) return prefix.length > 0 ? [prefix] : [];
  for (const [name, child] of entries) {
    let step: PathStep;
    if (name.startsWith('f:')) step = { key: name.slice(2) };
    else if (name.startsWith('k:')) step = { match: JSON.parse(name.slice(2)) as Record<string, unknown> };
    else if (name.startsWith('v:')) step = { value: JSON.parse(name.slice(2)) as unknown };
    else if (name.startsWith('i:')) step = { index: Number(name.slice(2)) };
    else continue;
    leaves.push(...fieldsV1Leaves((child ?? {}) as Record<string, unknown>, [...prefix, step]));
  }
  return leaves;
}

/**
 * Differences between two JSON values as leaf paths. Lists of objects that all carry a `name` are matched
 * by name (containers, ports, env); other lists are compared element by element.
 */
export function diffValues(
  desired: unknown,
  live: unknown,
  prefix: PathStep[] = [],
  out: { path: PathStep[]; desired: unknown; live: unknown }[] = [],
): { path: PathStep[]; desired: unknown; live: unknown }[] {
  if (JSON.stringify(desired) === JSON.stringify(live)) return out;
  const isObject = (value: unknown): value is Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value);
  if (isObject(desired) && isObject(live)) {
    for (const key of new Set([...Object.keys(desired), ...Object.keys(live)]))
      diffValues(desired[key], live[key], [...prefix, { key }], out);
    return out;
  }
  if (Array.isArray(desired) && Array.isArray(live)) {
    const named = (list: unknown[]) => list.every((element) => isObject(element) && typeof element.name === 'string');
    if (named(desired) && named(live)) {
      const names = new Set([...desired, ...live].map((element) => (element as { name: string }).name));
      for (const name of names) {
        const find = (list: unknown[]) => list.find((element) => (element as { name: string }).name === name);
        diffValues(find(desired), find(live), [...prefix, { match: { name } }], out);
      }
      return out;
    }
    if (desired.length === live.length) {
      desired.forEach((element, index) => diffValues(element, live[index], [...prefix, { index }], out));
      return out;
    }
  }
  out.push({ path: prefix, desired, live });
  return out;
}

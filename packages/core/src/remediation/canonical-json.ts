/**
 * Serialises a JSON value deterministically: object keys sorted, `undefined` members omitted, no whitespace.
 * Two values that are equal as JSON always give the same text, whatever their key order, so it is what the
 * remediation history hashes.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value))
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/**
 * Checks that `value` is plain JSON data (null, booleans, finite numbers, strings, arrays, plain objects;
 * `undefined` members are allowed and dropped). Returns a description of the first problem, or `undefined`.
 */
export function describeNonJson(value: unknown, path = 'value', seen = new Set<unknown>()): string | undefined {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean')
    return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is ${value}, not a finite number`;
  if (typeof value !== 'object') return `${path} is a ${typeof value}`;
  if (seen.has(value)) return `${path} is a circular reference`;
  const prototype = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) {
    return `${path} is an instance of ${(value as object).constructor?.name ?? 'a class'}, not a plain object`;
  }
  seen.add(value);
  for (const [key, member] of Object.entries(value)) {
    const problem = describeNonJson(member, `${path}.${key}`, seen);
    if (problem) return problem;
  }
  seen.delete(value);
  return undefined;
}

/** Copies plain JSON data, dropping `undefined` members (what a database adapter would give back). */
export function toJsonData<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

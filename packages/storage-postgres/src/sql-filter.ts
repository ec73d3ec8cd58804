/**
 * Builds a parameterised `WHERE` clause from optional filters: `add('ts >= ?', from)` adds the condition
 * only when the value is defined, numbering its `?` as the next `$n` placeholder.
 */
export class SqlFilter {
  /** The parameter values, in placeholder order. */
  readonly values: unknown[] = [];
  private readonly conditions: string[] = [];

  /** Adds `condition` (with one `?`) when `value` is not undefined. */
  add(condition: string, value: unknown): this {
    if (value === undefined) return this;
    this.values.push(value);
    this.conditions.push(condition.replace('?', `$${this.values.length}`));
    return this;
  }

  /** `WHERE a AND b`, or `''` when no filter was set. */
  where(): string {
    return this.conditions.length === 0 ? '' : `WHERE ${this.conditions.join(' AND ')}`;
  }

  /** The placeholder for one more parameter after the filters (e.g. a LIMIT). */
  next(): string {
    return `$${this.values.length + 1}`;
  }
}

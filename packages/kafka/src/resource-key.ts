/**
 * The partition key of a value: its `resource` (so one resource's samples stay in order on one
 * partition); for an array, the shared `resource` of all items. `undefined` when there is none.
 */
export function resourceKeyOf(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const first = resourceOf(value[0]);
    return first !== undefined && value.every((item) => resourceOf(item) === first) ? first : undefined;
  }
  return resourceOf(value);
}

function resourceOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const resource = (value as { resource?: unknown }).resource;
  return typeof resource === 'string' && resource.length > 0 ? resource : undefined;
}

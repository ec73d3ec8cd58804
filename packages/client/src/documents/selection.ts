/**
 * A selection covering every field of `T` exactly once: `true` for a leaf, or the sub-selection text for an
 * object field. TypeScript rejects a missing or an unknown field, so the documents stay in step with the
 * hand-written result types (and a test validates the documents against the gateway's SDL).
 */
export type Selection<T> = { [K in keyof T]-?: true | string };

/** Renders a {@link Selection} as GraphQL selection text, e.g. `{ id name topFactors { feature weight } }`. */
export function renderSelection<T>(selection: Selection<T>): string {
  const fields = Object.entries(selection as Record<string, true | string>).map(([name, sub]) =>
    sub === true ? name : `${name} ${sub}`,
  );
  return `{ ${fields.join(' ')} }`;
}

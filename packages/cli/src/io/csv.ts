/**
 * Splits one CSV line into fields (RFC 4180 quoting: `"a,b"` and `""` inside quotes; no multi-line fields).
 * Returns `undefined` for an unterminated quote.
 */
export function parseCsvLine(line: string): string[] | undefined {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const character = line[index]!;
    if (quoted) {
      if (character === '"' && line[index + 1] === '"') ((field += '"'), index++);
      else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') (fields.push(field), (field = ''));
    else field += character;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}

/** Formats one CSV field, quoting it when needed. */
export function csvField(value: string | number): string {
  const text = typeof value === 'number' ? formatNumber(value) : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A number with at most 7 significant digits, without trailing zeros (e.g. `0.1234568`, `87.5`). */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(7)));
}

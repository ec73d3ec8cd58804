/**
 * Log parsing accuracy measures, as in the LogPAI benchmark (logparser `evaluator.py`):
 * - Grouping accuracy (GA, Zhu et al., ICSE-SEIP 2019): a message is right when the set of messages given its
 *   parsed template equals the set of messages of its true template. GA = right messages / all messages.
 * - Parsing accuracy (PA, Dai et al. / Khan et al. ICSE 2022): a message is right when its parsed template
 *   string equals the true template exactly (here after collapsing runs of whitespace and trimming, the only
 *   normalisation applied to both sides).
 */

/** Collapses runs of whitespace and trims (the only normalisation before the PA comparison). */
export function normaliseTemplate(template: string): string {
  return template.replace(/\s+/g, ' ').trim();
}

/** Grouping accuracy of `parsed` group keys against `truth` group keys (same order, same length). */
export function groupingAccuracy(truth: readonly string[], parsed: readonly string[]): number {
  if (truth.length !== parsed.length) throw new Error(`GA: ${truth.length} true labels but ${parsed.length} parsed`);
  const truthSizes = new Map<string, number>();
  for (const label of truth) truthSizes.set(label, (truthSizes.get(label) ?? 0) + 1);
  const members = new Map<string, number[]>();
  parsed.forEach((label, index) => {
    const list = members.get(label);
    if (list) list.push(index);
    else members.set(label, [index]);
  });
  let right = 0;
  for (const indexes of members.values()) {
    const label = truth[indexes[0]!]!;
    if (indexes.every((index) => truth[index] === label) && truthSizes.get(label) === indexes.length)
      right += indexes.length;
  }
  return truth.length === 0 ? 0 : right / truth.length;
}

/** Parsing accuracy: share of messages whose parsed template equals the true one (whitespace-normalised). */
export function parsingAccuracy(truth: readonly string[], parsed: readonly string[]): number {
  if (truth.length !== parsed.length) throw new Error(`PA: ${truth.length} true templates but ${parsed.length} parsed`);
  let right = 0;
  truth.forEach((template, index) => {
    if (normaliseTemplate(template) === normaliseTemplate(parsed[index]!)) right += 1;
  });
  return truth.length === 0 ? 0 : right / truth.length;
}

/** The wildcard written in templates for a variable part, as in the Loghub labels. */
export const WILDCARD = '<*>';

const DIGIT = /\d/;
const BOOLEAN = /\b(?:true|false)\b/i;
const BOOLEAN_WORD = /\b(?:true|false)\b/gi;
/** Names with a digit or two, such as `ssh2`, `eth0`, `jk2_init`, `log4j`: words, not ids. */
const NAME_WITH_DIGIT = /^[A-Za-z][A-Za-z_]*\d[A-Za-z_]*$/;
const JOINED_WILDCARDS = /<\*>(?:[:/]|##?)<\*>/;
const JOINED_WILDCARDS_ALL = /<\*>(?:(?:[:/]|##?)<\*>)+/g;
const EMPTY_BRACKETS = /^(?:\(\)|\[\]|\{\})[,;:.]?$/;
const EMPTY_BRACKETS_ALL = /\(\)|\[\]|\{\}/g;
const PATH_HINT = /[/\\]/;
/** A run of word characters, with inner dots and `@` (host names, IPs, versions, e-mail addresses). */
const SEGMENT = /[A-Za-z0-9_+-]+(?:[.@][A-Za-z0-9_+-]+)*/g;
/** Opening and closing punctuation kept around a masked path. */
const PATH_CORE = /^([(["'<{]*)(.*?)([)\]"'>},;:.]*)$/;
const PATH_LIKE = /^(?:\/[^/]|~\/|\.{1,2}\/|[A-Za-z]:\\|[A-Za-z][A-Za-z0-9+.-]*:\/\/|[\w.-]+(?:\/[\w.-]+){2,})/;

/**
 * The shape of one whitespace-separated word: the word with its variable parts replaced by `<*>`. Token
 * classes, the same for every kind of log: any run of word characters that contains a digit (numbers, hex,
 * IPs, ids, durations, sizes, versions) and any path or URL are variables; everything else is kept.
 */
export function maskWord(word: string): string {
  let hasDigit = false;
  let hasSlash = false;
  let hasBracket = false;
  for (let index = 0; index < word.length; index += 1) {
    const code = word.charCodeAt(index);
    if (code >= 48 && code <= 57) hasDigit = true;
    else if (code === 47 || code === 92) hasSlash = true;
    else if (code === 41 || code === 93 || code === 125) hasBracket = true;
  }
  if (hasSlash) {
    const parts = PATH_CORE.exec(word);
    if (parts && PATH_LIKE.test(parts[2]!)) return `${parts[1]}${WILDCARD}${parts[3]}`;
  }
  if (!hasDigit) {
    if (
      word.length >= 4 &&
      (word.includes('rue') || word.includes('alse') || word.includes('RUE') || word.includes('ALSE')) &&
      BOOLEAN.test(word)
    ) {
      return word.replace(BOOLEAN_WORD, WILDCARD);
    }
    return hasBracket && EMPTY_BRACKETS.test(word)
      ? word.replace(EMPTY_BRACKETS_ALL, (pair) => `${pair[0]}${WILDCARD}${pair[1]}`)
      : word;
  }
  const masked = word.replace(SEGMENT, (segment) =>
    DIGIT.test(segment) && !NAME_WITH_DIGIT.test(segment) ? WILDCARD : segment,
  );
  return masked.length >= 7 && JOINED_WILDCARDS.test(masked) ? masked.replace(JOINED_WILDCARDS_ALL, WILDCARD) : masked;
}

/** Splits a message into words on runs of whitespace. */
export function splitWords(content: string): string[] {
  const trimmed = content.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

const DATE_HINT = /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)|\d:\d\d/;
const DATE_NAME =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?:day|sday|nesday|rsday|urday)?,?$|^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)(?:uary|ruary|ch|il|e|y|ust|tember|ober|ember)?[.,]?$/;
const TIME_OF_DAY = /^\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?,?$/;
const CALENDAR_DATE =
  /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?:T\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?,?$/;
const SMALL_NUMBER = /^\d{1,4},?$/;
const TIME_ZONE = /^(?:UTC|GMT|Z|[A-Z]{1,3}[SD]T|[+-]\d{4})$/;

/**
 * Replaces each date-time written over several words (`Fri Jun 17 20:55:07 2005`, `2005-06-17 20:55:07 UTC`)
 * by one `<*>` word, so a timestamp inside a message is one variable whatever its spelling.
 */
export function collapseDates(words: readonly string[], content: string): readonly string[] {
  if (!DATE_HINT.test(content)) return words;
  let result: string[] | undefined;
  let index = 0;
  while (index < words.length) {
    const word = words[index]!;
    const startsDate = DATE_NAME.test(word) || TIME_OF_DAY.test(word) || CALENDAR_DATE.test(word);
    if (!startsDate) {
      result?.push(word);
      index += 1;
      continue;
    }
    let end = index;
    let names = 0;
    let clocks = 0;
    let numbers = 0;
    while (end < words.length) {
      const part = words[end]!;
      if (DATE_NAME.test(part)) names += 1;
      else if (TIME_OF_DAY.test(part) || CALENDAR_DATE.test(part)) clocks += 1;
      else if (SMALL_NUMBER.test(part)) numbers += 1;
      else if (!(TIME_ZONE.test(part) && end > index)) break;
      end += 1;
    }
    if (end - index >= 2 && ((names > 0 && clocks + numbers > 0) || clocks >= 2 || (clocks > 0 && numbers > 0))) {
      result ??= words.slice(0, index);
      result.push(WILDCARD);
      index = end;
    } else {
      result?.push(word);
      index += 1;
    }
  }
  return result ?? words;
}

/** Whether `value` fits `pattern`, a word in which each `<*>` stands for any text. */
export function fitsPattern(pattern: string, value: string): boolean {
  if (pattern === value || pattern === WILDCARD) return true;
  const first = pattern.indexOf(WILDCARD);
  if (first < 0) return false;
  const pieces = pattern.split(WILDCARD);
  const head = pieces[0]!;
  const tail = pieces[pieces.length - 1]!;
  if (value.length < head.length + tail.length || !value.startsWith(head) || !value.endsWith(tail)) return false;
  let cursor = head.length;
  const limit = value.length - tail.length;
  for (let index = 1; index < pieces.length - 1; index += 1) {
    const found = value.indexOf(pieces[index]!, cursor);
    if (found < 0 || found + pieces[index]!.length > limit) return false;
    cursor = found + pieces[index]!.length;
  }
  return true;
}

/**
 * The pattern that covers several values of one word: their common head up to a punctuation mark, `<*>`, and
 * their common tail from a punctuation mark (`rhost=a.example`, `rhost=b.example` → `rhost=<*>`).
 */
export function generalisePattern(values: readonly string[]): string {
  let head = values[0] ?? '';
  let tail = head;
  for (const value of values) {
    let length = 0;
    while (length < head.length && length < value.length && head.charCodeAt(length) === value.charCodeAt(length))
      length += 1;
    head = head.slice(0, length);
    length = 0;
    while (
      length < tail.length &&
      length < value.length &&
      tail.charCodeAt(tail.length - 1 - length) === value.charCodeAt(value.length - 1 - length)
    )
      length += 1;
    tail = tail.slice(tail.length - length);
  }
  head = head.slice(0, lastPunctuation(head) + 1);
  const tailStart = firstPunctuation(tail);
  tail = tailStart < 0 ? '' : tail.slice(tailStart);
  if (head.includes('<') || tail.includes('>')) return WILDCARD;
  const shortest = Math.min(...values.map((value) => value.length));
  if (head.length + tail.length >= shortest) return WILDCARD;
  return `${head}${WILDCARD}${tail}`;
}

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function lastPunctuation(text: string): number {
  for (let index = text.length - 1; index >= 0; index -= 1) if (!isWordChar(text.charCodeAt(index))) return index;
  return -1;
}

function firstPunctuation(text: string): number {
  for (let index = 0; index < text.length; index += 1) if (!isWordChar(text.charCodeAt(index))) return index;
  return -1;
}

/** Size units written as a separate word after a number (`16.0 KB`, `2.3 MB`): part of the value. */
const SIZE_UNIT = /^(?:[kKMGTP]i?B|B)([,;:.)\]]*)$/;

/**
 * Folds a size unit into the variable before it (`size <*> KB,` → `size <*>,`), so the unit, which changes
 * with the value, does not split templates.
 */
export function foldUnits(shapes: string[]): string[] {
  let result: string[] | undefined;
  for (let index = 1; index < shapes.length; index += 1) {
    const unit = SIZE_UNIT.exec(shapes[index]!);
    if (!unit || !(result ?? shapes)[(result ? result.length : index) - 1]!.endsWith(WILDCARD)) {
      result?.push(shapes[index]!);
      continue;
    }
    result ??= shapes.slice(0, index);
    result[result.length - 1] = `${result[result.length - 1]!}${unit[1] ?? ''}`;
  }
  return result ?? shapes;
}

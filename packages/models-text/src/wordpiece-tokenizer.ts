import { ValidationError } from '@iac-dharma/core/kernel';

/** Token ids of one text, as a BERT model takes them. */
export interface EncodedText {
  /** `[CLS] … [SEP]` token ids. */
  ids: number[];
  /** The word pieces, for inspection (`[CLS]`, `disk`, `##s`, …). */
  tokens: string[];
}

/** Options of a {@link WordPieceTokenizer}. */
export interface WordPieceTokenizerOptions {
  /** Lower-case and strip accents (uncased models). @default true */
  lowercase?: boolean;
  /** Most tokens per text, `[CLS]` and `[SEP]` included; longer texts are truncated. @default 256 */
  maxLength?: number;
}

const MAX_CHARS_PER_WORD = 100;
const CONTROL = /\p{C}/u;
const WHITESPACE = /\s/u;
const PUNCTUATION = /\p{P}/u;
const NONSPACING_MARK = /\p{Mn}/gu;

/**
 * The BERT uncased tokenizer (the `BertNormalizer` + `BertPreTokenizer` + `WordPiece` pipeline of Hugging Face
 * tokenizers, as used by all-MiniLM-L6-v2) in plain TypeScript, for Node and browsers: it gives the same ids
 * as the reference tokenizer (checked against parity vectors made with the `tokenizers` library).
 */
export class WordPieceTokenizer {
  readonly #vocabulary: Map<string, number>;
  readonly #lowercase: boolean;
  readonly #maxLength: number;
  readonly #unknown: number;
  readonly #classify: number;
  readonly #separator: number;

  /** @param vocabulary the lines of `vocab.txt` (one token per line; the line number is the id). */
  constructor(vocabulary: string | readonly string[], options: WordPieceTokenizerOptions = {}) {
    const tokens = typeof vocabulary === 'string' ? vocabulary.split(/\r?\n/) : vocabulary;
    this.#vocabulary = new Map();
    tokens.forEach((token, index) => {
      if (token !== '' && !this.#vocabulary.has(token)) this.#vocabulary.set(token, index);
    });
    this.#lowercase = options.lowercase ?? true;
    this.#maxLength = options.maxLength ?? 256;
    const special = (token: string) => {
      const id = this.#vocabulary.get(token);
      if (id === undefined)
        throw new ValidationError(`the vocabulary has no ${token} token`, [
          { path: 'vocabulary', message: `missing ${token}`, code: 'custom' },
        ]);
      return id;
    };
    this.#unknown = special('[UNK]');
    this.#classify = special('[CLS]');
    this.#separator = special('[SEP]');
    if (this.#maxLength < 2)
      throw new ValidationError('maxLength must be at least 2', [
        { path: 'maxLength', message: 'too small', code: 'too_small' },
      ]);
  }

  /** Number of tokens in the vocabulary. */
  get vocabularySize(): number {
    return this.#vocabulary.size;
  }

  /** Tokenizes one text into `[CLS] pieces… [SEP]`, truncated to `maxLength`. */
  encode(text: string): EncodedText {
    const tokens = ['[CLS]'];
    const ids = [this.#classify];
    const budget = this.#maxLength - 1;
    outer: for (const word of this.#preTokenize(this.#normalize(text))) {
      for (const piece of this.#wordPieces(word)) {
        if (ids.length >= budget) break outer;
        tokens.push(piece.token);
        ids.push(piece.id);
      }
    }
    tokens.push('[SEP]');
    ids.push(this.#separator);
    return { ids, tokens };
  }

  #normalize(text: string): string {
    let cleaned = '';
    for (const char of text) {
      const code = char.codePointAt(0)!;
      if (code === 0 || code === 0xfffd) continue;
      if (char === '\t' || char === '\n' || char === '\r' || WHITESPACE.test(char)) {
        cleaned += ' ';
        continue;
      }
      if (CONTROL.test(char)) continue;
      cleaned += isChinese(code) ? ` ${char} ` : char;
    }
    if (!this.#lowercase) return cleaned;
    return cleaned.normalize('NFD').replace(NONSPACING_MARK, '').toLowerCase();
  }

  #preTokenize(text: string): string[] {
    const words: string[] = [];
    let current = '';
    for (const char of text) {
      if (char === ' ' || WHITESPACE.test(char)) {
        if (current) words.push(current);
        current = '';
      } else if (isPunctuation(char)) {
        if (current) words.push(current);
        words.push(char);
        current = '';
      } else current += char;
    }
    if (current) words.push(current);
    return words;
  }

  #wordPieces(word: string): Array<{ token: string; id: number }> {
    const chars = [...word];
    if (chars.length > MAX_CHARS_PER_WORD) return [{ token: '[UNK]', id: this.#unknown }];
    const pieces: Array<{ token: string; id: number }> = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: { token: string; id: number } | undefined;
      while (start < end) {
        const candidate = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        const id = this.#vocabulary.get(candidate);
        if (id !== undefined) {
          found = { token: candidate, id };
          break;
        }
        end -= 1;
      }
      if (!found) return [{ token: '[UNK]', id: this.#unknown }];
      pieces.push(found);
      start = end;
    }
    return pieces;
  }
}

function isPunctuation(char: string): boolean {
  const code = char.codePointAt(0)!;
  if (
    (code >= 33 && code <= 47) ||
    (code >= 58 && code <= 64) ||
    (code >= 91 && code <= 96) ||
    (code >= 123 && code <= 126)
  )
    return true;
  return PUNCTUATION.test(char);
}

function isChinese(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x20000 && code <= 0x2a6df) ||
    (code >= 0x2a700 && code <= 0x2b73f) ||
    (code >= 0x2b740 && code <= 0x2b81f) ||
    (code >= 0x2b820 && code <= 0x2ceaf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x2f800 && code <= 0x2fa1f)
  );
}

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** One line of an input file with its 1-based line number (CR of CRLF endings removed). */
export interface NumberedLine {
  number: number;
  text: string;
}

/** Streams the lines of a file (`-` reads stdin), without loading it whole. */
export async function* readLines(path: string): AsyncGenerator<NumberedLine> {
  const input = path === '-' ? process.stdin : createReadStream(path);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    yield { number, text: line.endsWith('\r') ? line.slice(0, -1) : line };
  }
}

import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { csvField } from './csv.js';

/** A CSV file being written, with back-pressure (`-` writes to stdout). */
export class CsvOutput {
  private readonly stream: WriteStream | NodeJS.WriteStream;
  /** Data rows written (header excluded). */
  rows = 0;

  constructor(path: string, header: readonly string[]) {
    this.stream = path === '-' ? process.stdout : createWriteStream(path);
    this.stream.write(`${header.map(csvField).join(',')}\n`);
  }

  /** Writes one row; waits when the stream's buffer is full. */
  async write(fields: ReadonlyArray<string | number>): Promise<void> {
    this.rows++;
    if (!this.stream.write(`${fields.map(csvField).join(',')}\n`)) await once(this.stream, 'drain');
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    if (this.stream === process.stdout) return;
    await new Promise<void>((resolve, reject) => (this.stream as WriteStream).end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

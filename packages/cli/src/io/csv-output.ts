import { once } from 'node:events';
import { AtomicFile } from './atomic-output.js';
import { csvField } from './csv.js';

const CHUNK = 65_536;

/**
 * A CSV file being written (`-` writes to stdout with back-pressure). A file is written atomically: it is
 * opened, and so checked writable, when the output is created (before the command's work), filled in a
 * temporary file, and renamed into place by `close()`; a failed command leaves nothing behind.
 */
export class CsvOutput {
  private readonly file: AtomicFile | undefined;
  private buffer = '';
  /** Data rows written (header excluded). */
  rows = 0;

  constructor(path: string, header: readonly string[]) {
    this.file = path === '-' ? undefined : new AtomicFile(path, '--out');
    this.buffer = `${header.map(csvField).join(',')}\n`;
  }

  /** Writes one row; waits when stdout's buffer is full. */
  async write(fields: ReadonlyArray<string | number>): Promise<void> {
    this.rows++;
    this.buffer += `${fields.map(csvField).join(',')}\n`;
    if (this.buffer.length >= CHUNK) await this.drain();
  }

  private async drain(): Promise<void> {
    const text = this.buffer;
    this.buffer = '';
    if (this.file) this.file.write(text);
    else if (!process.stdout.write(text)) await once(process.stdout, 'drain');
  }

  /** Flushes and moves the file into place. */
  async close(): Promise<void> {
    await this.drain();
    this.file?.commit();
  }
}

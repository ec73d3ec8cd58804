import { accessSync, closeSync, constants, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from './model-options.js';

/** Outputs being written now (their temporary files), so a failed command can remove them. */
const pending = new Set<AtomicFile>();

/**
 * An output file written atomically: the data goes to a temporary file beside it, renamed over the
 * target on `commit()`. Opening checks that the target can be written (before any work), and a command
 * that fails leaves neither a partial nor a header-only file behind.
 */
export class AtomicFile {
  readonly path: string;
  readonly temporaryPath: string;
  readonly descriptor: number;
  private done = false;

  /** Opens the temporary file; throws `UsageError` naming `option` when the target's folder cannot be written. */
  constructor(path: string, option = '--out') {
    this.path = path;
    this.temporaryPath = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
    try {
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new Error('it is a directory');
      this.descriptor = openSync(this.temporaryPath, 'wx');
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'its folder does not exist'
          : (error as NodeJS.ErrnoException).code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
      throw new UsageError(`${option} "${path}" cannot be written: ${reason}.`);
    }
    pending.add(this);
  }

  /** Appends text (synchronously: the CLI writes in large chunks). */
  write(text: string): void {
    writeSync(this.descriptor, text);
  }

  /** Closes and renames the temporary file over the target. */
  commit(): void {
    if (this.done) return;
    this.done = true;
    pending.delete(this);
    closeSync(this.descriptor);
    renameSync(this.temporaryPath, this.path);
  }

  /** Closes and removes the temporary file; the target is left as it was. */
  discard(): void {
    if (this.done) return;
    this.done = true;
    pending.delete(this);
    try {
      closeSync(this.descriptor);
    } catch {
      // already closed
    }
    rmSync(this.temporaryPath, { force: true });
  }
}

/** Removes every output still being written (called when a command fails). */
export function discardPendingOutputs(): void {
  for (const file of [...pending]) file.discard();
}

/** Writes `text` to `path` atomically. */
export function writeFileAtomic(path: string, text: string, option = '--out'): void {
  const file = new AtomicFile(path, option);
  try {
    file.write(text);
    file.commit();
  } catch (error) {
    file.discard();
    throw error;
  }
}

/** Throws `UsageError` naming `option` when `path` (other than `-`, stdin) is not a readable file. */
export function checkInput(path: string, option = '--input'): void {
  if (path === '-') return;
  try {
    if (statSync(path).isDirectory()) throw new Error('it is a directory');
    accessSync(path, constants.R_OK);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file'
        : (error as NodeJS.ErrnoException).code === 'EACCES'
          ? 'permission denied'
          : (error as Error).message;
    throw new UsageError(`${option} "${path}" cannot be read: ${reason}.`);
  }
}

/** Progress and problems of a batch command, reported on stderr (stdout may carry the CSV). */
export class RunReport {
  scored = 0;
  rejected = 0;
  private lastProgress = Date.now();
  private shownRejections = 0;

  constructor(
    private readonly command: string,
    private readonly options: { maxRejectionsShown?: number; progressEveryMs?: number } = {},
  ) {}

  /** Reports a rejected input line (the first `maxRejectionsShown`, default 20, in full) and counts it. */
  reject(line: number, reason: string): void {
    this.rejected++;
    if (this.shownRejections < (this.options.maxRejectionsShown ?? 20)) {
      this.shownRejections++;
      process.stderr.write(`dharma ${this.command}: line ${line}: ${reason} (skipped)\n`);
    }
  }

  /** Counts scored rows and prints progress every few seconds on long runs. */
  progress(scored: number): void {
    this.scored += scored;
    const now = Date.now();
    if (now - this.lastProgress >= (this.options.progressEveryMs ?? 2000)) {
      this.lastProgress = now;
      process.stderr.write(`dharma ${this.command}: ${this.scored} rows scored, ${this.rejected} rejected…\n`);
    }
  }

  /** Prints a note line. */
  note(message: string): void {
    process.stderr.write(`dharma ${this.command}: ${message}\n`);
  }

  /** Prints the final summary; returns the exit code (0, or 1 when nothing was scored). */
  finish(output: string, what = 'rows'): number {
    const hidden = this.rejected - this.shownRejections;
    if (hidden > 0) process.stderr.write(`dharma ${this.command}: … and ${hidden} more rejected lines not shown\n`);
    process.stderr.write(
      `dharma ${this.command}: scored ${this.scored} ${what}, rejected ${this.rejected} lines → ${output}\n`,
    );
    return this.scored > 0 ? 0 : 1;
  }
}

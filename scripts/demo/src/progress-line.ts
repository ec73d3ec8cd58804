/** Draws the run's progress on stderr: redrawn in place on a terminal, a line every 10 % otherwise. */
export class ProgressLine {
  private readonly interactive = process.stderr.isTTY === true;
  private lastTenth = -1;
  private lastDrawn = 0;
  private visible = false;

  /** Redraws the line (rate-limited to 10 per second on a terminal). */
  update(progress: { done: number; total: number; simulated: string; findings: number; remediations: number }): void {
    const tenth = Math.floor((progress.done / progress.total) * 10);
    const now = Date.now();
    const last = progress.done === progress.total;
    if (this.interactive ? !last && now - this.lastDrawn < 100 : tenth === this.lastTenth) return;
    this.lastTenth = tenth;
    this.lastDrawn = now;
    const width = 24;
    const filled = Math.round((progress.done / progress.total) * width);
    const text = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progress.simulated} simulated · ${progress.findings} findings · ${progress.remediations} remediations`;
    if (this.interactive) {
      process.stderr.write(`\r\x1b[2K${text}`);
      this.visible = true;
    } else {
      process.stderr.write(`${text}\n`);
    }
  }

  /** Clears the line so other output can be printed, e.g. before an event log line. */
  clear(): void {
    if (this.interactive && this.visible) process.stderr.write('\r\x1b[2K');
    this.visible = false;
  }

  /** Ends the line. */
  done(): void {
    if (this.interactive && this.visible) process.stderr.write('\n');
    this.visible = false;
  }
}

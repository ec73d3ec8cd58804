/**
 * Reusable float32 input buffers for model runs. Allocating a typed array larger than 64 bytes costs about
 * a microsecond in V8 (off-heap backing store), a sizeable share of a 20–60 µs single-row run, so the
 * analyzers encode into a pooled buffer and give it back once the run has settled. A buffer is never
 * handed out twice at the same time: concurrent calls simply get fresh buffers. The caller must overwrite
 * every element it uses (the extractors do).
 */
export class InputBufferPool {
  private readonly free = new Map<number, Float32Array>();

  /**
   * @param maxSizes - How many distinct buffer lengths to keep (most recent first out). @default 4
   */
  constructor(private readonly maxSizes = 4) {}

  /** A buffer of exactly `length` float32 values (contents unspecified). */
  acquire(length: number): Float32Array {
    const buffer = this.free.get(length);
    if (buffer === undefined) return new Float32Array(length);
    this.free.delete(length);
    return buffer;
  }

  /** Gives `buffer` back for reuse; do not touch it afterwards. */
  release(buffer: Float32Array): void {
    if (buffer.length === 0 || this.free.has(buffer.length)) return;
    if (this.free.size >= this.maxSizes) this.free.delete(this.free.keys().next().value!);
    this.free.set(buffer.length, buffer);
  }
}

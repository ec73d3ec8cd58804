/**
 * Snappy block format (what Prometheus remote-write uses; not the framed stream format), decoded with
 * bounds checks on every copy so a corrupt or truncated body fails with {@link SnappyDecodeError}.
 * @internal
 */
export class SnappyDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnappyDecodeError';
  }
}

/** The uncompressed length from the block's preamble, without decompressing. @internal */
export function snappyUncompressedLength(input: Uint8Array): number {
  let result = 0;
  let shift = 1;
  for (let index = 0; index < 5; index++) {
    if (index >= input.length) throw new SnappyDecodeError('truncated length preamble');
    const byte = input[index]!;
    result += (byte & 0x7f) * shift;
    if (byte < 0x80) return result;
    shift *= 128;
  }
  throw new SnappyDecodeError('length preamble longer than 5 bytes');
}

/** Decompresses a snappy block; refuses output longer than `maxLength`. @internal */
export function snappyDecompress(input: Uint8Array, maxLength: number): Uint8Array {
  const length = snappyUncompressedLength(input);
  if (length > maxLength)
    throw new SnappyDecodeError(`uncompressed length ${length} exceeds the limit of ${maxLength} bytes`);
  let position = 0;
  while (input[position]! >= 0x80) position++;
  position++;
  const output = new Uint8Array(length);
  let written = 0;
  const end = input.length;
  while (position < end) {
    const tag = input[position++]!;
    const type = tag & 3;
    if (type === 0) {
      let literal = tag >>> 2;
      if (literal >= 60) {
        const extra = literal - 59;
        if (position + extra > end) throw new SnappyDecodeError('truncated literal length');
        literal = 0;
        for (let index = 0; index < extra; index++) literal += input[position + index]! * 2 ** (8 * index);
        position += extra;
      }
      literal += 1;
      if (position + literal > end) throw new SnappyDecodeError('literal runs past the end of the input');
      if (written + literal > length) throw new SnappyDecodeError('literal runs past the declared length');
      output.set(input.subarray(position, position + literal), written);
      position += literal;
      written += literal;
      continue;
    }
    let copyLength: number;
    let offset: number;
    if (type === 1) {
      if (position >= end) throw new SnappyDecodeError('truncated copy');
      copyLength = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[position++]!;
    } else if (type === 2) {
      if (position + 2 > end) throw new SnappyDecodeError('truncated copy');
      copyLength = (tag >>> 2) + 1;
      offset = input[position]! | (input[position + 1]! << 8);
      position += 2;
    } else {
      if (position + 4 > end) throw new SnappyDecodeError('truncated copy');
      copyLength = (tag >>> 2) + 1;
      offset =
        (input[position]! | (input[position + 1]! << 8) | (input[position + 2]! << 16)) +
        input[position + 3]! * 2 ** 24;
      position += 4;
    }
    if (offset === 0 || offset > written)
      throw new SnappyDecodeError(`copy offset ${offset} points before the start of the output`);
    if (written + copyLength > length) throw new SnappyDecodeError('copy runs past the declared length');
    if (offset >= copyLength) output.copyWithin(written, written - offset, written - offset + copyLength);
    else for (let index = 0; index < copyLength; index++) output[written + index] = output[written - offset + index]!;
    written += copyLength;
  }
  if (written !== length) throw new SnappyDecodeError(`decoded ${written} bytes, the preamble declared ${length}`);
  return output;
}

/**
 * Compresses into the snappy block format with a simple greedy matcher (4-byte hash, 64 KiB window):
 * for tests, benchmarks and the example. Output is valid snappy any decoder reads. @internal
 */
export function snappyCompress(input: Uint8Array): Uint8Array {
  const out: number[] = [];
  let length = input.length;
  while (length >= 0x80) {
    out.push((length & 0x7f) | 0x80);
    length = Math.floor(length / 128);
  }
  out.push(length);
  const table = new Int32Array(1 << 14).fill(-1);
  const emitLiteral = (from: number, to: number) => {
    let remaining = to - from;
    while (remaining > 0) {
      const chunk = Math.min(remaining, 65_536);
      const n = chunk - 1;
      if (n < 60) out.push(n << 2);
      else if (n < 256) out.push(60 << 2, n);
      else out.push(61 << 2, n & 0xff, n >>> 8);
      for (let index = 0; index < chunk; index++) out.push(input[from + index]!);
      from += chunk;
      remaining -= chunk;
    }
  };
  let literalStart = 0;
  let position = 0;
  while (position + 4 <= input.length) {
    const word =
      input[position]! | (input[position + 1]! << 8) | (input[position + 2]! << 16) | (input[position + 3]! << 24);
    const hash = (Math.imul(word, 0x1e35a7bd) >>> 18) & 0x3fff;
    const candidate = table[hash]!;
    table[hash] = position;
    if (
      candidate >= 0 &&
      position - candidate < 65_536 &&
      input[candidate] === input[position] &&
      input[candidate + 1] === input[position + 1] &&
      input[candidate + 2] === input[position + 2] &&
      input[candidate + 3] === input[position + 3]
    ) {
      emitLiteral(literalStart, position);
      let matched = 4;
      while (
        position + matched < input.length &&
        input[candidate + matched] === input[position + matched] &&
        matched < 64
      )
        matched++;
      const offset = position - candidate;
      out.push(((matched - 1) << 2) | 2, offset & 0xff, offset >>> 8);
      position += matched;
      literalStart = position;
    } else position++;
  }
  emitLiteral(literalStart, input.length);
  return Uint8Array.from(out);
}

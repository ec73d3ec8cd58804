/**
 * A small, bounds-checked protobuf wire-format reader: just what the remote-write and OTLP decoders need.
 * Every read checks the buffer end and throws {@link ProtobufDecodeError} instead of reading past it, so
 * a truncated or malformed body fails cleanly. @internal
 */
export class ProtobufDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufDecodeError';
  }
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** @internal */
export class ProtobufReader {
  position: number;
  readonly end: number;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    end = bytes.length,
  ) {
    this.position = start;
    this.end = end;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  done(): boolean {
    return this.position >= this.end;
  }

  /** Reads a varint as a JS number (exact up to 2^53; larger values lose precision, which timestamps never reach). */
  varint(): number {
    let result = 0;
    let multiplier = 1;
    for (let index = 0; index < 10; index++) {
      if (this.position >= this.end) throw new ProtobufDecodeError('truncated varint');
      const byte = this.bytes[this.position++]!;
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return result;
      multiplier *= 128;
    }
    throw new ProtobufDecodeError('varint longer than 10 bytes');
  }

  /** A signed 64-bit varint (two's complement, e.g. int64 timestamps before 1970). */
  int64(): number {
    const value = this.varint();
    return value >= 2 ** 63 ? value - 2 ** 64 : value;
  }

  double(): number {
    if (this.position + 8 > this.end) throw new ProtobufDecodeError('truncated double');
    const value = this.view.getFloat64(this.position, true);
    this.position += 8;
    return value;
  }

  /** The raw bits of a double, as [low, high] 32-bit words (to recognise Prometheus's stale marker). */
  doubleBits(): [number, number] {
    if (this.position + 8 > this.end) throw new ProtobufDecodeError('truncated double');
    return [this.view.getUint32(this.position, true), this.view.getUint32(this.position + 4, true)];
  }

  fixed64(): number {
    if (this.position + 8 > this.end) throw new ProtobufDecodeError('truncated fixed64');
    const low = this.view.getUint32(this.position, true);
    const high = this.view.getUint32(this.position + 4, true);
    this.position += 8;
    return high * 2 ** 32 + low;
  }

  sfixed64(): number {
    if (this.position + 8 > this.end) throw new ProtobufDecodeError('truncated sfixed64');
    const low = this.view.getUint32(this.position, true);
    const high = this.view.getInt32(this.position + 4, true);
    this.position += 8;
    return high * 2 ** 32 + low;
  }

  /** Length of a length-delimited field; checks it fits. Returns the end offset. */
  lengthDelimitedEnd(): number {
    const length = this.varint();
    const end = this.position + length;
    if (end > this.end)
      throw new ProtobufDecodeError(`length-delimited field of ${length} bytes runs past the end of its message`);
    return end;
  }

  string(): string {
    const end = this.lengthDelimitedEnd();
    const text = decoder.decode(this.bytes.subarray(this.position, end));
    this.position = end;
    return text;
  }

  bytesField(): Uint8Array {
    const end = this.lengthDelimitedEnd();
    const value = this.bytes.subarray(this.position, end);
    this.position = end;
    return value;
  }

  /** Skips a field of the given wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        if (this.position + 8 > this.end) throw new ProtobufDecodeError('truncated fixed64');
        this.position += 8;
        return;
      case 2:
        this.position = this.lengthDelimitedEnd();
        return;
      case 5:
        if (this.position + 4 > this.end) throw new ProtobufDecodeError('truncated fixed32');
        this.position += 4;
        return;
      default:
        throw new ProtobufDecodeError(`unsupported wire type ${wireType}`);
    }
  }
}

/** A tiny protobuf writer for tests, benchmarks and the OTLP/remote-write encoders used there. @internal */
export class ProtobufWriter {
  private chunks: number[] = [];

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  varint(value: number): this {
    let remaining = value < 0 ? value + 2 ** 64 : value;
    while (remaining >= 128) {
      this.chunks.push((remaining % 128) | 0x80);
      remaining = Math.floor(remaining / 128);
    }
    this.chunks.push(remaining);
    return this;
  }

  double(value: number): this {
    const buffer = new DataView(new ArrayBuffer(8));
    buffer.setFloat64(0, value, true);
    for (let index = 0; index < 8; index++) this.chunks.push(buffer.getUint8(index));
    return this;
  }

  fixed64(value: number): this {
    const buffer = new DataView(new ArrayBuffer(8));
    buffer.setUint32(0, value % 2 ** 32, true);
    buffer.setUint32(4, Math.floor(value / 2 ** 32), true);
    for (let index = 0; index < 8; index++) this.chunks.push(buffer.getUint8(index));
    return this;
  }

  /** A 64-bit fixed field from its two 32-bit words (exact, unlike a JS number above 2^53). */
  fixed64Words(low: number, high: number): this {
    const buffer = new DataView(new ArrayBuffer(8));
    buffer.setUint32(0, low >>> 0, true);
    buffer.setUint32(4, high >>> 0, true);
    for (let index = 0; index < 8; index++) this.chunks.push(buffer.getUint8(index));
    return this;
  }

  bytes(value: Uint8Array): this {
    this.varint(value.length);
    for (const byte of value) this.chunks.push(byte);
    return this;
  }

  string(value: string): this {
    return this.bytes(new TextEncoder().encode(value));
  }

  message(field: number, build: (writer: ProtobufWriter) => void): this {
    const inner = new ProtobufWriter();
    build(inner);
    return this.tag(field, 2).bytes(inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

// Exact, compact (de)serialisation of numeric state: a typed array's bytes as base64. Pure TypeScript
// (no Buffer, no btoa) so snapshots work the same in Node and browsers; doubles round-trip bit for bit.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let index = 0; index < ALPHABET.length; index += 1) LOOKUP[ALPHABET.charCodeAt(index)] = index;

const ENCODE = new Uint8Array(64);
for (let index = 0; index < ALPHABET.length; index += 1) ENCODE[index] = ALPHABET.charCodeAt(index);
const PAD = 61; // '='
const ascii = new TextDecoder();

/**
 * Encodes bytes as base64 (with `=` padding). The characters go to a byte array decoded once: string
 * concatenation would build a rope of thousands of pieces per value, which made snapshots of many series slow
 * and memory-hungry.
 */
export function bytesToBase64(bytes: Uint8Array): string {
  const length = bytes.length;
  const out = new Uint8Array(Math.ceil(length / 3) * 4);
  let position = 0;
  for (let index = 0; index < length; index += 3) {
    const a = bytes[index]!;
    const b = index + 1 < length ? bytes[index + 1]! : 0;
    const c = index + 2 < length ? bytes[index + 2]! : 0;
    const triple = (a << 16) | (b << 8) | c;
    out[position++] = ENCODE[(triple >> 18) & 63]!;
    out[position++] = ENCODE[(triple >> 12) & 63]!;
    out[position++] = index + 1 < length ? ENCODE[(triple >> 6) & 63]! : PAD;
    out[position++] = index + 2 < length ? ENCODE[triple & 63]! : PAD;
  }
  return ascii.decode(out);
}

/** Decodes base64 produced by {@link bytesToBase64}; returns `undefined` when the text is not valid base64. */
export function base64ToBytes(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let out = 0;
  for (let index = 0; index < text.length; index += 4) {
    let triple = 0;
    for (let offset = 0; offset < 4; offset += 1) {
      const code = text.charCodeAt(index + offset);
      const digit = code === 61 ? 0 : code < 128 ? LOOKUP[code]! : -1;
      if (digit < 0) return undefined;
      triple = (triple << 6) | digit;
    }
    if (out < bytes.length) bytes[out++] = (triple >> 16) & 255;
    if (out < bytes.length) bytes[out++] = (triple >> 8) & 255;
    if (out < bytes.length) bytes[out++] = triple & 255;
  }
  return bytes;
}

/** Encodes a Float64Array exactly as base64. */
export function encodeFloat64(values: Float64Array): string {
  return bytesToBase64(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

/** Decodes {@link encodeFloat64} output; `undefined` when invalid or not `length` values long. */
export function decodeFloat64(text: unknown, length: number): Float64Array | undefined {
  if (typeof text !== 'string') return undefined;
  const bytes = base64ToBytes(text);
  if (!bytes || bytes.length !== length * 8) return undefined;
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Encodes a Uint32Array as base64. */
export function encodeUint32(values: Uint32Array): string {
  return bytesToBase64(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

/** Decodes {@link encodeUint32} output; `undefined` when invalid or not `length` values long. */
export function decodeUint32(text: unknown, length: number): Uint32Array | undefined {
  if (typeof text !== 'string') return undefined;
  const bytes = base64ToBytes(text);
  if (!bytes || bytes.length !== length * 4) return undefined;
  return new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

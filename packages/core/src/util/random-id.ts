/** A random RFC 4122 v4 id from WebCrypto (available in Node 20 and browsers). */
export function randomId(): string {
  return globalThis.crypto.randomUUID();
}

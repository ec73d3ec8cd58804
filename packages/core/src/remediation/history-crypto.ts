/** Hex sha256 of a UTF-8 string, through WebCrypto (Node 20+ and browsers). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** An Ed25519 key pair that signs (private key) and verifies (public key) remediation history records. */
export interface HistorySigningKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/** Generates an Ed25519 key pair for history signing (WebCrypto). Export the keys with `crypto.subtle.exportKey` to keep them. */
export async function generateHistorySigningKeys(): Promise<HistorySigningKeys> {
  const pair = (await globalThis.crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  return { privateKey: pair.privateKey, publicKey: pair.publicKey };
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** Base64 Ed25519 signature of a record hash. */
export async function signHash(hash: string, privateKey: CryptoKey): Promise<string> {
  const signature = await globalThis.crypto.subtle.sign(
    { name: 'Ed25519' },
    privateKey,
    new TextEncoder().encode(hash),
  );
  return toBase64(new Uint8Array(signature));
}

/** True when `signature` (base64) is a valid Ed25519 signature of `hash` by `publicKey`. */
export async function verifyHashSignature(hash: string, signature: string, publicKey: CryptoKey): Promise<boolean> {
  try {
    return await globalThis.crypto.subtle.verify(
      { name: 'Ed25519' },
      publicKey,
      fromBase64(signature),
      new TextEncoder().encode(hash),
    );
  } catch {
    return false;
  }
}

import { ModelIntegrityError } from '@iac-dharma/core/kernel';

/** Lower-case hex SHA-256 of `bytes`, computed with WebCrypto (`crypto.subtle`, Node ≥ 20 and browsers). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new ModelIntegrityError(
      'WebCrypto (crypto.subtle) is not available: model bytes cannot be verified. Serve the page over HTTPS or localhost.',
    );
  }
  const digest = await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Checks model bytes against the size and sha256 of its card. Throws `ModelIntegrityError` on a mismatch,
 * before any ONNX session sees the bytes.
 */
export async function verifyModelBytes(
  bytes: Uint8Array,
  card: { id: string; sha256: string; bytes: number },
): Promise<void> {
  checkCardDigest(bytes.byteLength, await sha256Hex(bytes), card);
}

/** {@link verifyModelBytes} for bytes whose size and sha256 are known already. */
export function checkCardDigest(
  size: number,
  actual: string,
  card: { id: string; sha256: string; bytes: number },
): void {
  if (size !== card.bytes) {
    throw new ModelIntegrityError(
      `Model "${card.id}" has ${size} bytes but its card says ${card.bytes}: the file is truncated or not the one the card describes.`,
    );
  }
  if (actual !== card.sha256) {
    throw new ModelIntegrityError(
      `Model "${card.id}" failed its integrity check: sha256 is ${actual}, the card expects ${card.sha256}. Re-download the model or regenerate its card.`,
    );
  }
}

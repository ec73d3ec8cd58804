import type { IncomingMessage, ServerResponse } from 'node:http';
import { PushRequestError } from './errors.js';

/**
 * Reads a request body up to `maxBytes`; a longer body (by `content-length` or as it streams) is refused
 * with a {@link PushRequestError} (`too-large`, 413) without buffering the rest. @internal
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    request.resume();
    return Promise.reject(
      new PushRequestError(
        'too-large',
        413,
        `Request body of ${declared} bytes exceeds the limit of ${maxBytes} bytes (option maxBodyBytes).`,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        chunks.length = 0;
        request.resume();
        reject(
          new PushRequestError(
            'too-large',
            413,
            `Request body exceeds the limit of ${maxBytes} bytes (option maxBodyBytes).`,
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    request.on('error', (error) => {
      if (!failed) reject(error);
      failed = true;
    });
  });
}

/** Writes a plain-text or JSON answer once (ignores a response that is already finished). @internal */
export function answer(
  response: ServerResponse,
  status: number,
  body?: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  if (response.headersSent || response.writableEnded) return;
  if (body === undefined) {
    response.writeHead(status);
    response.end();
    return;
  }
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/** The media type of a `content-type` header, lower-cased, without parameters. @internal */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.map': 'application/json',
};

/** A running static file server and the bytes it has sent, by URL path (for download-size figures). */
export interface StaticServer {
  /** e.g. `http://127.0.0.1:41234/` */
  url: string;
  /** Body bytes sent per request path since the last {@link StaticServer.resetCounts}. */
  sent: Map<string, number>;
  resetCounts(): void;
  close(): Promise<void>;
}

/** Options of {@link startStaticServer}. */
export interface StaticServerOptions {
  /** Extra response headers. */
  headers?: Record<string, string>;
  /**
   * Called with each request's path before it is answered; a returned promise holds the response back until it
   * settles (a rejection answers 503). For tests of what a page requests while another response is pending.
   */
  hold?: (path: string) => Promise<void> | undefined;
}

/** Serves `root` on 127.0.0.1 (random port) with the right MIME types, incl. `application/wasm`. */
export async function startStaticServer(root: string, options: StaticServerOptions = {}): Promise<StaticServer> {
  const sent = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const held = options.hold?.(path);
    if (held) {
      held.then(
        () => respond(request, response, path),
        (error: unknown) => void response.writeHead(503, { 'Content-Type': 'text/plain' }).end(String(error)),
      );
      return;
    }
    respond(request, response, path);
  });
  const respond = (request: IncomingMessage, response: ServerResponse, path: string) => {
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    let size: number;
    let etag: string;
    try {
      if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) throw new Error('outside root');
      const stats = statSync(file);
      size = stats.size;
      etag = `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    // Revalidate on every load (no-cache) but answer 304 when unchanged, like a typical static host; this
    // also lets Chromium reuse its cached compiled wasm on repeat visits.
    const headers = {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
      ETag: etag,
      ...options.headers,
    };
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, headers).end();
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Length': size });
    sent.set(path, (sent.get(path) ?? 0) + size);
    createReadStream(file).pipe(response);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    sent,
    resetCounts: () => sent.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

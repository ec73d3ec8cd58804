import { NotFoundError } from '@iac-dharma/core';
import type { ModelSource } from '../../loading/model-source.js';

/** Options of the browser bundled source. */
export interface BundledModelSourceOptions {
  /**
   * URL of the folder that serves `<id>/model-card.json` and `<id>/model.onnx` (copy
   * `node_modules/@iac-dharma/models/artifacts` to your static files). Relative URLs resolve against the page.
   * @default 'models/' (relative to the page)
   */
  baseUrl?: string | URL;
  /** The fetch to use. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** Fetches model cards and files over HTTP from a base URL the app provides. */
export function createBundledModelSource(options: BundledModelSourceOptions = {}): ModelSource {
  const base = new URL(String(options.baseUrl ?? 'models/'), globalThis.document?.baseURI ?? globalThis.location?.href);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const read = async (id: string, file: string, signal?: AbortSignal) => {
    const url = new URL(`${encodeURIComponent(id)}/${file}`, base);
    const response = await doFetch(url, signal ? { signal } : {});
    if (!response.ok) throw new NotFoundError(`Model "${id}": GET ${url.href} answered ${response.status}.`);
    return new Uint8Array(await response.arrayBuffer());
  };
  return {
    name: `bundled:${base.href}`,
    async readCard(id, call) {
      return JSON.parse(new TextDecoder().decode(await read(id, 'model-card.json', call?.signal))) as unknown;
    },
    readFile: (id, file, call) => read(id, file, call?.signal),
  };
}

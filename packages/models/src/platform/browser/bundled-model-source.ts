import { NotFoundError } from '@iac-dharma/core/kernel';
import type { ArtifactDigests } from '../../integrity/artifact-digests.js';
import { BUNDLED_DIGESTS } from '../../integrity/bundled-digests.js';
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
  /**
   * sha256 each file of a listed model must have, whatever its card says: the served artifacts of this
   * package are checked against the digests compiled into its JavaScript, so a model swapped on the server
   * (card rewritten to match) is refused. Pass `{}` when the base URL serves your own models under the
   * bundled ids, or your package's compiled digests.
   * @default the digests compiled into @iac-dharma/models
   */
  digests?: ArtifactDigests;
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
    digests: options.digests ?? BUNDLED_DIGESTS,
    async readCard(id, call) {
      return JSON.parse(new TextDecoder().decode(await read(id, 'model-card.json', call?.signal))) as unknown;
    },
    readFile: (id, file, call) => read(id, file, call?.signal),
  };
}

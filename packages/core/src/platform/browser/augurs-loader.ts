import initMstl, * as mstl from '@bsull/augurs/mstl';
import type { AugursRuntime } from '../../forecast/augurs-runtime.js';

/** Where to fetch the augurs `.wasm` files from, or their bytes. */
export interface BrowserAugursSource {
  /** URL (or bytes) of `@bsull/augurs/mstl_bg.wasm`. @default resolved by the bundler next to `mstl.js` */
  mstl?: string | URL | BufferSource;
}

/**
 * Loads the augurs WebAssembly modules in a browser (or any runtime with `fetch`), using the given URLs
 * or bytes. The pure-TypeScript methods need none of this; only `mstl-ets` does.
 */
export async function loadAugursInBrowser(source: BrowserAugursSource = {}): Promise<AugursRuntime> {
  await initMstl(source.mstl === undefined ? undefined : { module_or_path: source.mstl });
  return { mstl: mstl as unknown as AugursRuntime['mstl'] };
}

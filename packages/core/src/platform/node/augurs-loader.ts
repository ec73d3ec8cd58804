import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as mstl from '@bsull/augurs/mstl';
import type { AugursRuntime } from '../../forecast/augurs-runtime.js';

let loaded: AugursRuntime | undefined;

/**
 * Loads the `@bsull/augurs` WebAssembly modules the forecaster uses (MSTL with AutoETS), reading the
 * `.wasm` files from the installed package and calling each module's `initSync`. Idempotent: later
 * calls return the same runtime. Pass the result as `augurs` to `forecastSeries` or `CapacityForecaster`.
 */
export function loadAugurs(): AugursRuntime {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  // The package exports only its JS entry points; the .wasm files sit next to them.
  const packageDirectory = dirname(require.resolve('@bsull/augurs/mstl'));
  mstl.initSync({ module: readFileSync(join(packageDirectory, 'mstl_bg.wasm')) });
  loaded = { mstl: mstl as unknown as AugursRuntime['mstl'] };
  return loaded;
}

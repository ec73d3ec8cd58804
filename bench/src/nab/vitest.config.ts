// The root vitest config only collects bench/test/**; this one runs the NAB scorer tests that sit
// beside the scorer:  npx vitest run --config bench/src/nab/vitest.config.ts
import { defineConfig, mergeConfig } from 'vitest/config';
import root from '../../../vitest.config.js';

export default mergeConfig(root, defineConfig({ root: new URL('../../..', import.meta.url).pathname, test: { include: ['bench/src/nab/**/*.test.ts'] } }));

// The root vitest config only collects bench/test/**; this one runs the NAB scorer tests that sit
// beside the scorer:  npx vitest run --config bench/src/nab/vitest.config.ts
import { defineConfig } from 'vitest/config';
import root from '../../../vitest.config.js';

export default defineConfig({ ...root, root: new URL('../../..', import.meta.url).pathname, test: { ...root.test, include: ['bench/src/nab/**/*.test.ts'] } });

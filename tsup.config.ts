import { defineConfig } from 'tsup';

const shared = {
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['axios', 'axios-retry'],
} as const;

// `npm run build` empties dist/ first: the two builds run side by side, and neither may clean it.
export default defineConfig([
  // ESM: one file per module, so that a bundler drops the modules an app does not import
  // (package.json says "sideEffects": false): without auth, none of createBoxAuth's code.
  {
    ...shared,
    entry: ['src/**/*.ts', '!src/**/*types.ts'],
    format: ['esm'],
    bundle: false,
    dts: { entry: { index: 'src/index.ts', 'redis/index': 'src/redis/index.ts' } },
  },
  // CommonJS: one bundle per entry (require() cannot drop what it does not use anyway). The Redis
  // entry is apart, so that the main one stays free of Redis code and safe in a browser.
  {
    ...shared,
    entry: { index: 'src/index.ts', 'redis/index': 'src/redis/index.ts' },
    format: ['cjs'],
    dts: { entry: { index: 'src/index.ts', 'redis/index': 'src/redis/index.ts' } },
  },
]);

import { defineConfig } from 'tsup';

const shared = {
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  // node:crypto: the JWT entry signs with Node's own (that entry is Node only).
  external: ['axios', 'axios-retry', 'node:crypto'],
} as const;

const entries = { index: 'src/index.ts', 'redis/index': 'src/redis/index.ts', 'jwt/index': 'src/jwt/index.ts' };
// The JWT entry's modules import node:crypto: their declarations are built with Node's types
// (tsconfig.json leaves src/jwt out, so that the browser-safe entry is checked without them).
const dts = { entry: entries, compilerOptions: { types: ['node'] } };

// `npm run build` empties dist/ first: the two builds run side by side, and neither may clean it.
export default defineConfig([
  // ESM: one file per module, so that a bundler drops the modules an app does not import
  // (package.json says "sideEffects": false): without auth, none of createBoxAuth's code.
  {
    ...shared,
    // Every file under src/, whatever its name: a module of types alone builds to an empty one.
    entry: ['src/**/*.ts'],
    format: ['esm'],
    bundle: false,
    dts,
  },
  // CommonJS: one bundle per entry (require() cannot drop what it does not use anyway). The Redis
  // and JWT entries are apart, so that the main one stays free of their code and safe in a browser.
  {
    ...shared,
    entry: entries,
    format: ['cjs'],
    dts,
  },
]);

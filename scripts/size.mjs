#!/usr/bin/env node
// The size a browser app pays for the plugin: the built ESM entry bundled and minified by esbuild,
// axios and axios-retry left out (the app has axios already, and axios-retry is shared with any
// other user of it), then gzipped at level 9. Fails above the limit, so growth is a decision.
//   node scripts/size.mjs [--limit <gzip bytes>]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

// Issue 4 asked for 3 kB, which the contract's features alone do not fit in (the README's Size
// section says why); this limit keeps growth a decision until the budget is settled. It was
// 10 kB until reading a download's error body (src/peek.ts) added 0.7 kB.
const LIMIT_GZIP_BYTES = 11_264;

const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const limitFlag = process.argv.indexOf('--limit');
const limit = limitFlag === -1 ? LIMIT_GZIP_BYTES : Number(process.argv[limitFlag + 1]);
if (!Number.isInteger(limit) || limit <= 0) {
  console.error('size: --limit takes a whole number of bytes');
  process.exit(2);
}

readFileSync(entry); // a clear ENOENT when the build has not run
const result = await build({
  entryPoints: [entry],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'neutral',
  external: ['axios', 'axios-retry'],
  write: false,
  logLevel: 'silent',
});
const code = result.outputFiles[0].contents;
const gzip = gzipSync(code, { level: 9 }).length;
const brotli = brotliCompressSync(code, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
}).length;

const bytes = (n) => `${n.toLocaleString('en-US')} B`;
const verdict = gzip <= limit ? 'ok' : `OVER by ${bytes(gzip - limit)}`;
console.log(
  `size: dist/index.js, axios and axios-retry external: ${bytes(code.length)} minified, ` +
    `${bytes(gzip)} gzip, ${bytes(brotli)} brotli; limit ${bytes(limit)} gzip: ${verdict}`,
);
process.exit(gzip <= limit ? 0 : 1);

import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
const dir = process.argv[2];
const files = readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.js') && !f.startsWith('redis') && !f.startsWith('jwt'));
const ext = { name: 'ext', setup(b) { b.onResolve({ filter: /.*/ }, (a) => (a.kind === 'entry-point' ? undefined : { path: a.path, external: true })); } };
let total = 0; const rows = [];
for (const f of files) {
  const r = await build({ entryPoints: [join(dir, f)], bundle: true, minify: true, format: 'esm', write: false, plugins: [ext], logLevel: 'silent' });
  const code = r.outputFiles[0].contents; const g = gzipSync(code, { level: 9 }).length;
  rows.push([f, code.length, g]); total += g;
}
rows.sort((a, b) => b[2] - a[2]);
for (const [f, m, g] of rows) console.log(String(g).padStart(6), String(m).padStart(6), f);
console.log('sum gzip', total);

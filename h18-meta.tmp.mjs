import { build } from 'esbuild';
const entry = process.argv[2]; const what = process.argv[3] ?? '*';
const r = await build({ stdin: { contents: `export ${what === '*' ? '*' : '{ ' + what + ' }'} from ${JSON.stringify(entry)};`, resolveDir: process.cwd(), loader: 'js' }, bundle: true, minify: true, format: 'esm', platform: 'neutral', external: ['axios', 'axios-retry', 'ioredis', 'redis', 'node:crypto'], write: false, metafile: true, logLevel: 'silent' });
const out = Object.values(r.metafile.outputs)[0];
const rows = Object.entries(out.inputs).map(([f, v]) => [f.replace(/^.*dist[^/]*\//, ''), v.bytesInOutput]).sort((a, b) => b[1] - a[1]);
for (const [f, b] of rows) console.log(String(b).padStart(6), f);
console.log('total', rows.reduce((s, [, b]) => s + b, 0));

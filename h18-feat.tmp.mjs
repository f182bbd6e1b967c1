import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
const [dir, what] = process.argv.slice(2);
const r = await build({ stdin: { contents: what, resolveDir: dir, loader: 'ts' }, bundle: true, minify: true, format: 'esm', platform: 'neutral', target: 'es2022', external: ['axios', 'axios-retry'], write: false, logLevel: 'silent' });
const code = r.outputFiles[0].contents;
console.log(String(code.length).padStart(7), String(gzipSync(code, { level: 9 }).length).padStart(6));

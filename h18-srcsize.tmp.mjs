import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
const entry = process.argv[2];
const r = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'neutral', target: 'es2022', external: ['axios', 'axios-retry', 'ioredis', 'redis', 'node:crypto'], write: false, logLevel: 'silent' });
const code = r.outputFiles[0].contents;
console.log(code.length, gzipSync(code, { level: 9 }).length);

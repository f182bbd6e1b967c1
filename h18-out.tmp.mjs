import { build } from 'esbuild';
const r = await build({ stdin: { contents: `export * from ${JSON.stringify(process.argv[2])};`, resolveDir: process.cwd(), loader: 'js' }, bundle: true, minify: true, format: 'esm', platform: 'neutral', external: ['axios', 'axios-retry', 'ioredis', 'redis', 'node:crypto'], write: false, logLevel: 'silent' });
process.stdout.write(r.outputFiles[0].text);

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The package as npm would publish it (`npm pack`), installed into a throwaway project the way a
// user installs it, then used from Node ESM, Node CommonJS, TypeScript (nodenext and bundler
// resolution, strict) and an esbuild browser bundle. `npm test` builds first; the install takes
// axios and axios-retry from npm's cache, which `npm ci` has just filled.
const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const require = createRequire(import.meta.url);
const root = new URL('../..', import.meta.url);
let app = '';

/** A use of the plugin that needs no network: an adapter answers 200, then 404. */
const usage = (load: string): string => `${load}
let calls = 0;
const adapter = async (config) => {
  calls += 1;
  const status = calls === 1 ? 200 : 404;
  const data = status === 200 ? '{"id":"0"}' : '{"type":"error","status":404,"code":"not_found","message":"Not Found","request_id":"r1"}';
  return { status, statusText: '', headers: { 'content-type': 'application/json' }, data, config, request: {} };
};
const box = axios.create({ adapter });
attachBoxStatus(box);
const run = async () => {
  const res = await box.get('/folders/0');
  let error;
  try { await box.get('/files/1'); } catch (e) { error = e; }
  console.log(JSON.stringify({ kind: res.boxStatus.kind, name: error.name, client: isBoxClientError(error), code: error.boxCode }));
};
`;
const EXPECTED = JSON.stringify({ kind: 'success', name: 'BoxClientError', client: true, code: 'not_found' });

/** axios-box-status/redis loads without ioredis or node-redis installed, and checks its client. */
const REDIS_ENTRY = (load: string): string => `${load}
try { createRedisStore({ client: {} }); } catch (error) { console.log(JSON.stringify({ name: error.name, redis: /createRedisStore\\.client/.test(error.message) })); }
`;
const REDIS_EXPECTED = JSON.stringify({ name: 'TypeError', redis: true });

/** axios-box-status/jwt loads in Node and checks Box's app config before anything is sent. */
const JWT_ENTRY = (load: string): string => `${load}
try { boxJwtGrant({ config: { boxAppSettings: {} } }); } catch (error) { console.log(JSON.stringify({ name: error.name, jwt: /boxJwtGrant\\.config\\.boxAppSettings\\.appAuth must be an object/.test(error.message) })); }
`;
const JWT_EXPECTED = JSON.stringify({ name: 'TypeError', jwt: true });

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), 'box-consumer-'));
  const { stdout } = await run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', app], {
    cwd: root,
    maxBuffer: 10 * 1024 * 1024,
  });
  const [packed] = JSON.parse(stdout) as [{ filename: string }];
  const axiosVersion = (require('axios/package.json') as { version: string }).version;
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run(
    npm,
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(app, packed.filename), `axios@${axiosVersion}`],
    { cwd: app, maxBuffer: 10 * 1024 * 1024 },
  );
}, 120_000);

afterAll(async () => {
  if (app) await rm(app, { recursive: true, force: true });
});

describe('the packed package, installed', () => {
  it('installs only what it ships, with axios-retry as its dependency', async () => {
    const files = await readdir(join(app, 'node_modules', 'axios-box-status'), { recursive: true });
    expect(files.filter((f) => !f.startsWith('dist')).sort()).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'jwt',
      'jwt/package.json',
      'package.json',
      'redis',
      'redis/package.json',
    ]);
    expect(require.resolve('axios-retry/package.json', { paths: [app] })).toContain(join(app, 'node_modules'));
  });

  it('Node ESM: import', async () => {
    await writeFile(
      join(app, 'esm.mjs'),
      `${usage("import axios from 'axios';\nimport { attachBoxStatus, isBoxClientError } from 'axios-box-status';")}await run();\n${REDIS_ENTRY("import { createRedisStore } from 'axios-box-status/redis';")}${JWT_ENTRY("import { boxJwtGrant } from 'axios-box-status/jwt';")}`,
    );
    const { stdout } = await run(process.execPath, ['esm.mjs'], { cwd: app });
    expect(stdout.trim().split('\n')).toEqual([EXPECTED, REDIS_EXPECTED, JWT_EXPECTED]);
  });

  it('Node CommonJS: require', async () => {
    await writeFile(
      join(app, 'cjs.cjs'),
      `${usage("const axios = require('axios');\nconst { attachBoxStatus, isBoxClientError } = require('axios-box-status');")}run().then(() => {\n${REDIS_ENTRY("const { createRedisStore } = require('axios-box-status/redis');")}${JWT_ENTRY("const { boxJwtGrant } = require('axios-box-status/jwt');")}});\n`,
    );
    const { stdout } = await run(process.execPath, ['cjs.cjs'], { cwd: app });
    expect(stdout.trim().split('\n')).toEqual([EXPECTED, REDIS_EXPECTED, JWT_EXPECTED]);
  });

  // node10 reads no "exports": the main entry's "types", redis/package.json and jwt/package.json must serve it.
  it.each(['nodenext', 'bundler', 'node10'])('TypeScript, moduleResolution %s, strict: the augmentations need no cast', async (resolution) => {
    // The realistic usage file the dist type test compiles, by the package's own name.
    const source = await readFile(new URL('./consumers/esm.mts', import.meta.url), 'utf8');
    await writeFile(join(app, `usage-${resolution}.mts`), source);
    const compilerOptions = {
      target: 'ES2022',
      module: resolution === 'nodenext' ? 'NodeNext' : 'ESNext',
      moduleResolution: { nodenext: 'NodeNext', bundler: 'Bundler', node10: 'Node10' }[resolution],
      strict: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: false,
      noEmit: true,
      types: [],
      lib: ['ES2022', 'DOM'],
    };
    await writeFile(join(app, `tsconfig.${resolution}.json`), JSON.stringify({ compilerOptions, files: [`usage-${resolution}.mts`] }));
    const tsc = require.resolve('typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], { cwd: app }).then(
      () => 'ok',
      (error: { stdout?: string }) => error.stdout,
    );
    expect(result).toBe('ok');
  }, 60_000);

  it('an esbuild browser bundle', async () => {
    await writeFile(
      join(app, 'browser.mjs'),
      `${usage("import axios from 'axios';\nimport { attachBoxStatus, isBoxClientError } from 'axios-box-status';")}run();\n`,
    );
    const esbuild = require('esbuild') as typeof import('esbuild');
    const result = await esbuild.build({
      absWorkingDir: app,
      entryPoints: ['browser.mjs'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const bundle = result.outputFiles[0]?.text ?? '';
    // The browser build of axios, and nothing of Node's.
    expect(bundle).toContain('XMLHttpRequest');
    expect(bundle).not.toMatch(/require\(["'](node:)?(http|https|zlib|stream|crypto)["']\)|from ["'](node:)?(http|https|zlib|crypto)["']/);
    // None of the JWT entry's signing code either: it has its own entry.
    expect(bundle).not.toContain('boxJwtGrant');
    expect(bundle).toContain('BoxClientError');
  });
});

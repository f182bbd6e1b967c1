import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// What `npm publish` would upload: the build and the documents, nothing else (no src, tests,
// bench or CI scripts). `npm test` builds first, so dist/ is there. The ESM build is one file per
// module of src/, whatever its name (one of types alone is empty), so that bundlers drop what an
// app does not use.
it('npm pack ships only dist, redis/package.json, jwt/package.json, README, CHANGELOG, LICENSE and package.json', async () => {
  const { stdout } = await run(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { maxBuffer: 10 * 1024 * 1024 });
  const [packed] = JSON.parse(stdout) as [{ files: { path: string }[] }];
  const paths = packed.files.map((file) => file.path).sort();
  const modules = (await readdir(fileURLToPath(new URL('../../src', import.meta.url)), { recursive: true }))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.replace(/\.ts$/, ''));
  expect(modules).toContain('index');
  expect(modules).toContain('call/run-call');
  expect(modules).toContain('types');
  expect(modules).toContain('redis/index');
  expect(modules).toContain('jwt/index');
  // The declarations the entries share sit in hashed chunks, one of each per flavour: BoxStateStore
  // and its kin (so that the store a Redis store satisfies is the same type in either entry), and
  // the token types (so that boxJwtGrant's refresher is the one createBoxAuth takes), and the token
  // store's (its part of BoxStateStore, shared by both).
  // The hash is 8 characters of base64url: it may hold a '-' (token-request-C-uyyYNi.d.ts).
  const sharedTypes = paths.filter((path) => /^dist\/[\w-]+-[\w-]{8}\.d\.c?ts$/.test(path));
  const stems = (flavour: RegExp): string[] =>
    sharedTypes.filter((path) => flavour.test(path)).map((path) => path.replace(/^dist\/([\w-]+)-[\w-]{8}\.d\.c?ts$/, '$1')).sort();
  expect(stems(/\.d\.ts$/)).toEqual(['store-types', 'token-request', 'token-store-types']);
  expect(stems(/\.d\.cts$/)).toEqual(['store-types', 'token-request', 'token-store-types']);
  expect(paths).toEqual(
    [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist/index.cjs',
      'dist/index.cjs.map',
      'dist/index.d.cts',
      'dist/index.d.ts',
      // axios-box-status/redis: its own CommonJS bundle and types, and a package.json for
      // resolvers that read no "exports" (node10).
      'dist/redis/index.cjs',
      'dist/redis/index.cjs.map',
      'dist/redis/index.d.cts',
      'dist/redis/index.d.ts',
      'redis/package.json',
      // axios-box-status/jwt (Node only), likewise.
      'dist/jwt/index.cjs',
      'dist/jwt/index.cjs.map',
      'dist/jwt/index.d.cts',
      'dist/jwt/index.d.ts',
      'jwt/package.json',
      ...sharedTypes,
      ...modules.flatMap((module) => [`dist/${module}.js`, `dist/${module}.js.map`]),
      'package.json',
    ].sort(),
  );
}, 30_000);

it('a release builds and tests first, and the licence is MIT', async () => {
  const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    license: string;
    scripts: Record<string, string>;
  };
  expect(manifest.scripts['prepublishOnly']).toBe('npm test');
  expect(manifest.scripts['test']).toMatch(/^npm run build && .*npm run lint:package && npm run size && vitest run/);
  expect(manifest.scripts['size']).toBe('node scripts/size.mjs');
  expect(manifest.license).toBe('MIT');
  expect(await readFile(new URL('../../LICENSE', import.meta.url), 'utf8')).toMatch(/^MIT License/);
});

// The size check must be able to fail: run it with a limit below the real figure.
describe('the size check (npm run size)', () => {
  const script = fileURLToPath(new URL('../../scripts/size.mjs', import.meta.url));
  const figure = /: ([\d,]+) B minified, ([\d,]+) B gzip, ([\d,]+) B brotli; limit ([\d,]+) B gzip: (.*)$/m;
  const bytes = (text: string | undefined): number => Number(text?.replaceAll(',', ''));

  it('passes within its limit and reports the minified, gzip and brotli figures', async () => {
    const { stdout } = await run(process.execPath, [script]);
    const [, minified, gzip, brotli, limit, verdict] = figure.exec(stdout) ?? [];
    expect(verdict).toBe('ok');
    expect(bytes(gzip)).toBeGreaterThan(1000);
    expect(bytes(gzip)).toBeLessThanOrEqual(bytes(limit));
    expect(bytes(brotli)).toBeLessThan(bytes(gzip));
    expect(bytes(minified)).toBeGreaterThan(bytes(gzip));
    // axios-box-status/redis has its own line and limit.
    const redisLine = stdout.split('\n').find((line) => line.includes('axios-box-status/redis'));
    const [, , redisGzip, , redisLimit, redisVerdict] = figure.exec(redisLine ?? '') ?? [];
    expect(redisVerdict).toBe('ok');
    expect(bytes(redisGzip)).toBeGreaterThan(1000);
    expect(bytes(redisGzip)).toBeLessThanOrEqual(bytes(redisLimit));
    // So has axios-box-status/jwt: what it adds to the main entry.
    const jwtLine = stdout.split('\n').find((line) => line.includes('axios-box-status/jwt'));
    const [, , jwtGzip, , jwtLimit, jwtVerdict] = figure.exec(jwtLine ?? '') ?? [];
    expect(jwtVerdict).toBe('ok');
    expect(bytes(jwtGzip)).toBeGreaterThan(500);
    expect(bytes(jwtGzip)).toBeLessThanOrEqual(bytes(jwtLimit));
  });

  it('fails, naming the excess, when the entry is over the limit', async () => {
    const failed = await run(process.execPath, [script, '--limit', '1000']).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    const [, , gzip, , limit, verdict] = figure.exec(failed?.stdout ?? '') ?? [];
    expect(limit).toBe('1,000');
    expect(verdict).toBe(`OVER by ${(bytes(gzip) - 1000).toLocaleString('en-US')} B`);
  });
});

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// What `npm publish` would upload: the build and the documents, nothing else (no src, tests,
// bench or CI scripts). `npm test` builds first, so dist/ is there.
it('npm pack ships only dist, README, CHANGELOG, LICENSE and package.json', async () => {
  const { stdout } = await run(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { maxBuffer: 10 * 1024 * 1024 });
  const [packed] = JSON.parse(stdout) as [{ files: { path: string }[] }];
  const paths = packed.files.map((file) => file.path).sort();
  expect(paths).toEqual([
    'CHANGELOG.md',
    'LICENSE',
    'README.md',
    'dist/index.cjs',
    'dist/index.cjs.map',
    'dist/index.d.cts',
    'dist/index.d.ts',
    'dist/index.js',
    'dist/index.js.map',
    'package.json',
  ]);
}, 30_000);

it('a release builds and tests first, and the licence is MIT', async () => {
  const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    license: string;
    scripts: Record<string, string>;
  };
  expect(manifest.scripts['prepublishOnly']).toBe('npm test');
  expect(manifest.scripts['test']).toMatch(/^npm run build && .*npm run lint:package && vitest run/);
  expect(manifest.license).toBe('MIT');
  expect(await readFile(new URL('../LICENSE', import.meta.url), 'utf8')).toMatch(/^MIT License/);
});

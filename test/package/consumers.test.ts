import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// Type-check strict consumers against the built declarations, as users compile them: an ESM file
// (dist/index.d.ts) and a CommonJS file (dist/index.d.cts), skipLibCheck off, so the
// `declare module 'axios'` augmentation must hold in both. `npm test` builds first. The CommonJS
// consumer is the ESM one, written out as .cts (no top-level await there), so the two cannot drift.
it('the built .d.ts and .d.cts type-check for strict ESM and CommonJS consumers', async () => {
  const esm = readFileSync(new URL('./consumers/esm.mts', import.meta.url), 'utf8');
  writeFileSync(
    new URL('./consumers/cjs.cts', import.meta.url),
    esm.replace('An ESM consumer', 'A CommonJS consumer').replace('dist/index.d.ts', 'dist/index.d.cts').replace(/^await /gm, 'void '),
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const project = fileURLToPath(new URL('./consumers/tsconfig.json', import.meta.url));
  const run = promisify(execFile)(process.execPath, [tsc, '-p', project], { timeout: 60_000 });
  await expect(run.then(() => 'ok', (e: { stdout?: string }) => e.stdout)).resolves.toBe('ok');
}, 90_000);

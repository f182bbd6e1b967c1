import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// `npm run demo` is what the README gives a newcomer: it must keep working. `npm test` builds
// first, and the demo imports the package by its own name, as a user would.
it('npm run demo: every scenario behaves as it says, and the token never shows', async () => {
  const demo = fileURLToPath(new URL('../examples/demo.mjs', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [demo], {
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 20_000,
  });
  expect(stdout).toContain('res.boxStatus: 200 success, attempts 3');
  expect(stdout).toContain('wait 200 ms (retry-after), then attempt 2');
  expect(stdout).toContain('error BoxClientError  boxCode item_name_in_use');
  expect(stdout).toContain('not retried: POST is not idempotent');
  expect(stdout).toContain('the server saw exactly 1 request');
  expect(stdout).toContain('contains the bearer token: no');
  expect(stdout).toContain('refreshed 1 time for 5 calls (reason unauthorized); each re-sent once with the new token');
  expect(stdout).toContain('~ refresh reason unauthorized, a new token');
  expect(stdout).toContain('the token endpoint saw 1 request for 20 calls');
  expect(stdout).toMatch(/the next call at once: Box token refresh \(reason unauthorized\) not started: cooling down for \d+ ms after a failed refresh/);
  expect(stdout).toContain('the token endpoint still saw 1 request: no refresh starts during the cooldown');
  expect(stdout).not.toContain('demo-spent-refresh-token-91ab');
  expect(stdout).not.toContain('demo-client-secret-7d1e');
  expect(stdout).toContain('All calls behaved as described.');
  expect(stdout).not.toMatch(/\x1b\[/);
}, 30_000);

// examples/fleet.mjs, as a user runs it (`npm run fleet`): three processes, one Redis, one limit.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const EXAMPLE = fileURLToPath(new URL('../../examples/fleet.mjs', import.meta.url));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}
async function fleetExample(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return run(process.execPath, [EXAMPLE, ...args], { env, timeout: 30_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: Ran) => error,
  );
}

describe('examples/fleet.mjs', () => {
  it('prints each process and the fleet against the limit, live; Box never sees more than the limit in a second', { timeout: 30_000 }, async () => {
    const { code, stdout, stderr } = await fleetExample(['--seconds', '3', '--limit', '20']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^3 processes, one Box user limited to 20 requests a second, sharing the limit through Redis; 3 s\.$/m);
    const lines = stdout.split('\n').filter((line) => / s {2}w1 /.test(line));
    expect(lines.length).toBeGreaterThanOrEqual(4);
    // The server accepts no more than 20 in a second whatever is sent: that the fleet kept to the
    // limit shows in the count of 429s below (one, the one sent on purpose).
    const fleetRates = lines.map((line) => Number(/\| fleet +(\d+)\/s of 20\/s/.exec(line)?.[1]));
    expect(fleetRates.every((rate) => rate >= 0 && rate <= 20)).toBe(true);
    // The limit is used, not merely respected.
    expect(Math.max(...fleetRates)).toBeGreaterThanOrEqual(18);
    expect(stdout).toMatch(/Redis shared by 3 processes/);
    expect(stdout).toMatch(/Box answers one request with 429, retry-after: 1: every process waits that second/);
    expect(stdout).toMatch(/^done: \d+ calls succeeded, 0 failed, [\d.]+\/s against a limit of 20\/s; Box answered 1 429s, one of them on purpose\.$/m);
  });

  it('--halve-at: Box halves its limit, and the fleet shows the limit it paces itself to following it down', { timeout: 30_000 }, async () => {
    const { code, stdout, stderr } = await fleetExample(['--seconds', '5', '--limit', '20', '--halve-at', '2']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {8}Box lowers its limit to 10\/s, as it may under load: the fleet learns it from Box's 429s$/m);
    const [before, after] = stdout.split('Box lowers its limit');
    const paced = (text = '') => [...text.matchAll(/\| paced at +(\d+)\/s/g)].map((match) => Number(match[1]));
    // The rule's 20 before (unless a 429 at the start cut it); below it once Box's 429s tell of 10.
    expect(paced(before).length).toBeGreaterThan(0);
    expect(Math.min(...paced(after))).toBeLessThan(20);
    expect(after).toMatch(/\| fleet +\d+\/s of 10\/s/);
    expect(stdout).toMatch(/^done: \d+ calls succeeded, 0 failed, [\d.]+\/s against a limit of 20\/s, 10\/s from 2 s; Box answered \d+ 429s after it halved its limit at 2 s\.$/m);
  });

  it('without redis-server says how to install it', async () => {
    const { code, stdout, stderr } = await fleetExample([], { ...process.env, REDIS_SERVER: '/nonexistent/redis-server' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('apt-get install redis-server');
  });

  it('refuses a bad flag, naming it', async () => {
    const { code, stderr } = await fleetExample(['--limit', '0']);
    expect(code).toBe(2);
    expect(stderr).toContain('--limit must be a whole number from 1, received 0');
    const halving = await fleetExample(['--halve-at', 'soon']);
    expect(halving.code).toBe(2);
    expect(halving.stderr).toContain('--halve-at must be a whole number from 1, received soon');
  });
});

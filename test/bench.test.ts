import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const CLIENTS = ['plain axios', 'axios-retry (defaults)', 'axios-retry (exponentialDelay)', 'axios-box-status (defaults)'];
const SCENARIOS = [
  '## 1. Success path, keep-alive loopback server',
  '## 2. Success path in process',
  '## 3. Full outage',
  '## 4. 10 % random 503',
  '## 5. One 429 with Retry-After among 50 concurrent callers',
  '## 6. A call retried once, in process',
  '## 7. A fleet: 4 processes, one Box user, one Redis',
  '## 8. Success path with a Redis store',
];
// Scenario 7 runs four worker processes per client; scenario 8 adds the Redis-store rows to scenario 1's.
const FLEET = ['plain axios', 'axios-retry (exponentialDelay)', 'axios-box-status, memory store', 'axios-box-status, Redis store'];
const WITH_REDIS = [
  'plain axios',
  'axios-box-status (defaults)',
  'axios-box-status, Redis store',
  'axios-box-status, Redis store and a rate limit',
];
// Scenario 6 compares the clients that retry a call with no wait: axios-retry's defaults and the plugin.
const RETRYING = ['axios-retry (defaults)', 'axios-box-status (defaults)'];

// `npm test` builds first; the benchmark loads dist/ as `npm run bench` does. --quick proves the
// script runs end to end and reports every scenario for every client; it measures nothing.
// Scenarios 7 and 8 need redis-server, which .ci/run installs: here they must run, not be skipped.
it('npm run bench: the script runs and reports every scenario, client and target', { timeout: 240_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'box-bench-'));
  try {
    const out = join(dir, 'RESULTS.md');
    const { stdout } = await run(process.execPath, ['bench/run.mjs', '--quick', '--out', out]);
    const written = await readFile(out, 'utf8');
    expect(written).toBe(stdout);
    for (const heading of SCENARIOS) expect(written).toContain(heading);
    const sections = written.split(/^## /m).slice(1, 9);
    expect(sections).toHaveLength(8);
    for (const section of sections.slice(0, 5)) {
      for (const client of CLIENTS) expect(section).toContain(`| ${client} |`);
    }
    for (const client of RETRYING) expect(sections[5]).toContain(`| ${client} |`);
    // Every call of scenario 6 is retried once and then succeeds, with either client.
    expect(sections[5]).toMatch(/\| axios-retry \(defaults\) \| [\d.]+ \| 1\.00 \| [\d.]+ – [\d.]+ \| 0 \|/);
    expect(sections[5]).toMatch(/\| axios-box-status \(defaults\) \| [\d.]+ \| [\d.]+ \| [\d.]+ – [\d.]+ \| 0 \|/);
    // The fleet's two tables (a shared limit, one 429), each with every client and no crashed worker.
    const [, limitTable, pauseTable, halvedTable] = (sections[6] ?? '').split(/^### /m);
    for (const client of FLEET) {
      expect(limitTable).toMatch(new RegExp(`^\\| ${escape(client)} \\| [\\d.]+ % \\| [\\d.]+ \\| [\\d.]+ \\| \\d+ \\| \\d+/\\d+ \\|$`, 'm'));
      // Requests during the pause, in its first moments, by the late joiner, before the 429; failed calls.
      expect(pauseTable).toMatch(new RegExp(`^\\| ${escape(client)} \\| \\d+ \\| \\d+ \\| \\d+ \\| \\d+ \\| \\d+/\\d+ \\|$`, 'm'));
      // A halved limit: the lowered limit used, accepted/s, 429s, 429s in the second half, failed calls.
      expect(halvedTable).toMatch(new RegExp(`^\\| ${escape(client)} \\| [\\d.]+ % \\| [\\d.]+ \\| \\d+ \\| \\d+ \\| \\d+/\\d+ \\|$`, 'm'));
    }
    for (const client of WITH_REDIS) expect(sections[7]).toContain(`| ${client} |`);
    const targets = written.split('## Targets (axios-box-status)')[1] ?? '';
    expect(targets.match(/^\| \(\d+b?\) .* \| (met|missed) \|$/gm)).toHaveLength(11);
    // Whatever the counts, a plain axios instance never retries: one request per call.
    expect(sections[2]).toMatch(/\| plain axios \| 1\.00 \|/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

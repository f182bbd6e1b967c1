import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const CLIENTS = ['plain axios', 'axios-retry (defaults)', 'axios-retry (exponentialDelay)', 'axios-box-status (defaults)'];
const SCENARIOS = [
  '## 1. Success path, keep-alive loopback server',
  '## 2. Success path in process',
  '## 3. Full outage',
  '## 4. 10 % random 503',
  '## 5. One 429 with Retry-After among 50 concurrent callers',
];

// `npm test` builds first; the benchmark loads dist/ as `npm run bench` does. --quick proves the
// script runs end to end and reports every scenario for every client; it measures nothing.
it('npm run bench: the script runs and reports every scenario, client and target', { timeout: 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'box-bench-'));
  try {
    const out = join(dir, 'RESULTS.md');
    const { stdout } = await run(process.execPath, ['bench/run.mjs', '--quick', '--out', out]);
    const written = await readFile(out, 'utf8');
    expect(written).toBe(stdout);
    for (const heading of SCENARIOS) expect(written).toContain(heading);
    const sections = written.split(/^## /m).slice(1, 6);
    expect(sections).toHaveLength(5);
    for (const section of sections) {
      for (const client of CLIENTS) expect(section).toContain(`| ${client} |`);
    }
    const targets = written.split('## Targets (axios-box-status)')[1] ?? '';
    expect(targets.match(/^\| \(\d\) .* \| (met|missed) \|$/gm)).toHaveLength(5);
    // Whatever the counts, a plain axios instance never retries: one request per call.
    expect(sections[2]).toMatch(/\| plain axios \| 1\.00 \|/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

#!/usr/bin/env node
// The Redis and fleet suites, N times in a row, next to a CPU-bound process of this script's own
// (a machine as busy as CI's or a laptop's can be): a flaky fleet test shows up here, not in a
// newcomer's first `npm test`. Builds once (the fleet's workers run the built package), then
// prints each run's result and time, and "N of N green" (exit 1 when a run failed; its output is
// kept in a file named at the end).
//
//   npm run test:fleet                  # once
//   npm run test:fleet -- --repeat 20
//   npm run test:fleet -- --repeat 5 --no-hog
//   npm run test:fleet -- --repeat 5 test/fleet/stall.test.ts   # other files than test/redis and test/fleet
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values, positionals } = parseArgs({
  options: { repeat: { type: 'string', default: '1' }, 'no-hog': { type: 'boolean', default: false } },
  allowPositionals: true,
});
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1) {
  console.error(`test:fleet: --repeat takes a whole number from 1, received ${values.repeat}`);
  process.exit(2);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const built = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (built.status !== 0) process.exit(built.status ?? 1);

// One core kept busy for the whole time: the suites share the rest of the machine with it.
const hog = values['no-hog'] ? undefined : spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
const stopHog = () => hog?.kill('SIGKILL');
process.on('exit', stopHog);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const logs = mkdtempSync(join(tmpdir(), 'test-fleet-'));

/** One run of the suites: whether it passed, how long it took, and its output. */
function run() {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [vitest, 'run', ...(positionals.length > 0 ? positionals : ['test/redis', 'test/fleet'])], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ ok: code === 0, seconds: (performance.now() - started) / 1000, output }));
  });
}

let green = 0;
const times = [];
for (let i = 1; i <= repeat; i += 1) {
  const { ok, seconds, output } = await run();
  times.push(seconds);
  const tests = /Tests\s+(.+)/.exec(output)?.[1]?.trim() ?? 'no summary';
  if (ok) green += 1;
  else writeFileSync(join(logs, `run-${i}.log`), output);
  console.log(`run ${i} of ${repeat}: ${ok ? 'green' : 'FAILED'} in ${seconds.toFixed(1)} s (${tests})${ok ? '' : `; output in ${join(logs, `run-${i}.log`)}`}`);
  // The figures the suites measure (lines such as "[pacing] halved: ..."), for the run's record.
  // (Without the colours vitest prints whatever FORCE_COLOR says.)
  for (const line of output.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) if (/^\[[a-z-]+\] /.test(line)) console.log(`  ${line}`);
}
stopHog();
const total = times.reduce((sum, s) => sum + s, 0);
console.log(
  `${green} of ${repeat} green${hog ? ', next to a CPU-bound process' : ''}; ` +
    `${total.toFixed(0)} s in all, ${Math.min(...times).toFixed(1)} to ${Math.max(...times).toFixed(1)} s a run`,
);
process.exit(green === repeat ? 0 : 1);

// Start a fleet: `count` worker processes (examples/fleet-worker.mjs, on the built package) with
// the same settings, each ready (connected to Redis, attached) before this resolves. Used by
// examples/fleet.mjs, the benchmark and the fleet tests.
//
//   const fleet = await startFleet(3, { baseURL, redis: { path, client: 'ioredis' }, ... });
//   fleet.go(); fleet.ticks; await fleet.done; fleet.kill();

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./fleet-worker.mjs', import.meta.url));

/**
 * @param {number} count
 * @param {Record<string, unknown>} settings  see examples/fleet-worker.mjs; `worker` is set here (w1, w2, ...)
 * @returns {Promise<{ go(): void, ticks: Map<string, object>, done: Promise<object[]>, kill(): void }>}
 *   go: start every worker's calls at once; ticks: the last report of each worker;
 *   done: every worker's totals, once all are done; kill: end them all now.
 */
export async function startFleet(count, settings) {
  const children = [];
  const ticks = new Map();
  const ready = [];
  const finished = [];
  for (let i = 0; i < count; i += 1) {
    const worker = `w${i + 1}`;
    const child = fork(WORKER, [JSON.stringify({ ...settings, worker })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    ready.push(
      new Promise((resolve, reject) => {
        child.on('message', (message) => {
          if (message.type === 'ready') resolve();
        });
        child.once('exit', (code) => reject(new Error(`worker ${worker} exited with ${code} before it was ready`)));
      }),
    );
    finished.push(
      new Promise((resolve, reject) => {
        child.on('message', (message) => {
          if (message.type === 'tick') ticks.set(worker, message);
          if (message.type === 'done') resolve(message);
          if (message.type === 'crash') reject(new Error(`worker ${worker} crashed: ${message.error}`));
        });
        child.once('exit', (code) => reject(new Error(`worker ${worker} exited with ${code}`)));
      }),
    );
  }
  const kill = () => children.forEach((child) => child.kill());
  try {
    await Promise.all(ready);
  } catch (error) {
    kill();
    throw error;
  }
  // A worker's exit after its totals is its normal end: only an early one rejects `done`.
  const done = Promise.all(finished);
  done.catch(() => {});
  return {
    go: () => children.forEach((child) => child.send({ type: 'go' })),
    ticks,
    done,
    kill,
  };
}

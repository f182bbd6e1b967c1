// Start a fleet: `count` worker processes (examples/fleet-worker.mjs, on the built package) with
// the same settings, each ready (connected to Redis, attached, its store sharing unless told
// otherwise) before this resolves. Used by examples/fleet.mjs, the benchmark and the fleet tests.
//
//   const fleet = await startFleet(3, { baseURL, redis: { path, client: 'ioredis' }, ... });
//   fleet.go(); fleet.ticks; await fleet.done; fleet.kill();
//   await fleet.status(); fleet.tell('w1', { type: 'stall', ms: 200 }); await fleet.next('w1', 'stalled');

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./fleet-worker.mjs', import.meta.url));

/**
 * @param {number} count
 * @param {Record<string, unknown>} settings  see examples/fleet-worker.mjs; `worker` is set here
 * @param {{ names?: string[], each?: Record<string, object>, join?: () => Promise<void> }} [options]
 *   names: the workers' (default w1, w2, ...); each: settings of one worker's own, by name;
 *   join: what to do once every worker has started (Node, its modules, its Redis client) and
 *   before any makes its store and joins the fleet (set a pause, say)
 * @returns {Promise<{ names: string[], go(): void, stop(): void, ticks: Map<string, object>, done: Promise<object[]>,
 *   kill(): void, status(): Promise<Map<string, object>>, tell(worker: string, message: object): void,
 *   next(worker: string, type: string): Promise<object> }>}
 *   go: start every worker's calls at once; stop: end them (after the calls under way); ticks: the last report of each worker; done: every
 *   worker's totals, once all are done; kill: end them all now; status: each worker's store
 *   status now; tell: send a worker a message; next: its next message of that type.
 */
export async function startFleet(count, settings, { names = Array.from({ length: count }, (_, i) => `w${i + 1}`), each = {}, join } = {}) {
  const children = new Map();
  const loaded = [];
  const ticks = new Map();
  const ready = [];
  const finished = [];
  /** Who waits for which worker's next message of which type. */
  const waiting = [];
  for (const worker of names) {
    const own = { ...settings, ...each[worker], worker, ...(join ? { joinWhenTold: true } : {}) };
    const child = fork(WORKER, [JSON.stringify(own)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.set(worker, child);
    loaded.push(new Promise((resolve) => child.on('message', (message) => message.type === 'loaded' && resolve())));
    child.on('message', (message) => {
      for (const wait of waiting.filter((w) => w.worker === worker && w.type === message.type)) {
        waiting.splice(waiting.indexOf(wait), 1);
        wait.resolve(message);
      }
    });
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
    if (join) {
      // Every worker started and connected to Redis, none with a store: they join the fleet once `join()` is done.
      await Promise.race([Promise.all(loaded), Promise.all(ready)]);
      await join();
      children.forEach((child) => child.send({ type: 'join' }));
    }
    await Promise.all(ready);
  } catch (error) {
    kill();
    throw error;
  }
  // A worker's exit after its totals is its normal end: only an early one rejects `done`.
  const done = Promise.all(finished);
  done.catch(() => {});
  const next = (worker, type) => new Promise((resolve) => waiting.push({ worker, type, resolve }));
  const tell = (worker, message) => children.get(worker)?.send(message);
  return {
    names,
    go: () => children.forEach((child) => child.send({ type: 'go' })),
    stop: () => children.forEach((child) => child.send({ type: 'stop' })),
    ticks,
    done,
    kill,
    tell,
    next,
    async status() {
      const answers = await Promise.all(
        names.map((worker) => {
          const answer = next(worker, 'status');
          tell(worker, { type: 'status' });
          return answer;
        }),
      );
      return new Map(answers.map((answer) => [answer.worker, answer.store]));
    },
  };
}

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('../../examples/fleet-worker.mjs', import.meta.url));

/** What a worker reports at the end. */
export interface WorkerTotals {
  worker: string;
  sent: number;
  ok: number;
  failed: number;
  errors: Record<string, number>;
}

/** What a worker reports as it goes. */
export interface WorkerTick extends WorkerTotals {
  rate: number;
  store?: { shared: boolean; processes: number };
}

export interface Fleet {
  /** Start every worker's calls at once. */
  go(): void;
  /** The last tick of each worker. */
  ticks: Map<string, WorkerTick>;
  /** Every worker's totals, once all are done. */
  done: Promise<WorkerTotals[]>;
  kill(): void;
}

/**
 * Start `count` worker processes (examples/fleet-worker.mjs, on the built package) with the same
 * settings, and wait until each is ready (connected to Redis, attached).
 */
export async function startFleet(count: number, settings: Record<string, unknown>): Promise<Fleet> {
  const children: ChildProcess[] = [];
  const ticks = new Map<string, WorkerTick>();
  const ready: Promise<void>[] = [];
  const finished: Promise<WorkerTotals>[] = [];
  for (let i = 0; i < count; i += 1) {
    const worker = `w${i + 1}`;
    const child = fork(WORKER, [JSON.stringify({ ...settings, worker })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    ready.push(
      new Promise((resolve, reject) => {
        child.on('message', (message: { type: string }) => {
          if (message.type === 'ready') resolve();
        });
        child.once('exit', (code) => reject(new Error(`worker ${worker} exited with ${code} before it was ready`)));
      }),
    );
    finished.push(
      new Promise((resolve, reject) => {
        child.on('message', (message: WorkerTick & { type: string; error?: string }) => {
          if (message.type === 'tick') ticks.set(worker, message);
          if (message.type === 'done') resolve(message);
          if (message.type === 'crash') reject(new Error(`worker ${worker} crashed: ${message.error}`));
        });
        child.once('exit', (code) => reject(new Error(`worker ${worker} exited with ${code}`)));
      }),
    );
  }
  await Promise.all(ready);
  return {
    go: () => children.forEach((child) => child.send({ type: 'go' })),
    ticks,
    done: Promise.all(finished),
    kill: () => children.forEach((child) => child.kill()),
  };
}

// A fleet of worker processes: the examples' own helper (examples/fleet-processes.mjs), typed.
// @ts-expect-error -- a plain ES module of the examples, without types
import { startFleet as start } from '../../examples/fleet-processes.mjs';

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
export const startFleet = start as (count: number, settings: Record<string, unknown>) => Promise<Fleet>;

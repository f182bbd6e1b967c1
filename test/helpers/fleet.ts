// A fleet of worker processes: the examples' own helper (examples/fleet-processes.mjs), typed; and
// how a test reads what they did around a pause.
// @ts-expect-error -- a plain ES module of the examples, without types
import { startFleet as start } from '../../examples/fleet-processes.mjs';

/** When a worker learned of a pause (on the machine's clock), and how long it then had to run. */
export interface Learned {
  at: number;
  ms: number;
}

/** What a worker reports at the end. */
export interface WorkerTotals {
  worker: string;
  sent: number;
  ok: number;
  failed: number;
  errors: Record<string, number>;
  learned: Learned[];
}

/** What a worker reports as it goes. */
export interface WorkerTick extends WorkerTotals {
  rate: number;
  store?: { shared: boolean; processes: number };
}

export interface Fleet {
  readonly names: readonly string[];
  /** Start every worker's calls at once. */
  go(): void;
  /** End every worker's calls (after those under way): `durationMs` is then the most they run. */
  stop(): void;
  /** The last tick of each worker. */
  ticks: Map<string, WorkerTick>;
  /** Every worker's totals, once all are done. */
  done: Promise<WorkerTotals[]>;
  kill(): void;
  /** Each worker's store status now. */
  status(): Promise<Map<string, { shared: boolean; processes: number } | undefined>>;
  /** Send a worker a message (`{ type: 'stall', ms }`). */
  tell(worker: string, message: object): void;
  /** A worker's next message of `type`. */
  next(worker: string, type: string): Promise<Record<string, unknown>>;
}

/**
 * Start worker processes (examples/fleet-worker.mjs, on the built package) with the same
 * settings (and `each` worker's own), and wait until each is ready (connected to Redis, attached,
 * its store sharing unless `readyWhen: 'made'`).
 */
export const startFleet = start as (
  count: number,
  settings: Record<string, unknown>,
  options?: {
    /** The workers' names (default w1, w2, ...). */
    names?: string[];
    /** Settings of one worker's own, by name. */
    each?: Record<string, Record<string, unknown>>;
    /** Done once every worker has started (Node, its modules, its Redis client) and before any makes its store. */
    join?: () => Promise<void>;
  },
) => Promise<Fleet>;

/** A request as the fleet's server logged it. */
export interface SentRequest {
  receivedAt: number;
  sentAt: number | undefined;
  worker: string;
  status: number;
}

/** A pause, on the machine's clock: from when it was set in Redis (or met) until it ends. */
export interface PauseSpan {
  at: number;
  endsAt: number;
}

/** When `worker` learned of `pause`: its first note of a pause within it; undefined when it never did. */
export function learnedAt(totals: WorkerTotals, pause: PauseSpan): number | undefined {
  return totals.learned.find((note) => note.at >= pause.at && note.at < pause.endsAt)?.at;
}

/**
 * What each worker sent within `pause` after it had learned of it (as offsets from the pause's
 * start, in ms): none may be, but the requests already on their way (past the plugin's check)
 * when the news came. A worker that never learned of it counts from the pause's start.
 */
export function sentAfterLearning(log: readonly SentRequest[], fleet: readonly WorkerTotals[], pause: PauseSpan): Record<string, number[]> {
  const sent: Record<string, number[]> = {};
  for (const totals of fleet) {
    const from = learnedAt(totals, pause) ?? pause.at;
    sent[totals.worker] = log
      .filter((entry) => entry.worker === totals.worker && entry.sentAt !== undefined && entry.sentAt > from && entry.sentAt < pause.endsAt)
      .map((entry) => Math.round((entry.sentAt as number) - pause.at));
  }
  return sent;
}

/**
 * Whether each worker sent, while the news of `pause` travelled to it (from its start until the
 * worker learned of it), no more than its loops can: one request each, and one more for each
 * `spacingMs` (the loops' pause between calls) that the news took, as measured. A worker that
 * sent more was sending without waiting for its own calls' answers.
 */
export function sentWhileNewsTravelled(
  log: readonly SentRequest[],
  fleet: readonly WorkerTotals[],
  pause: PauseSpan,
  loops: number,
  spacingMs: number,
): Array<{ worker: string; lagMs: number; sent: number; most: number }> {
  return fleet.map((totals) => {
    const at = learnedAt(totals, pause) ?? pause.endsAt;
    const sent = log.filter((entry) => entry.worker === totals.worker && entry.sentAt !== undefined && entry.sentAt >= pause.at && entry.sentAt <= at).length;
    return { worker: totals.worker, lagMs: Math.round(at - pause.at), sent, most: loops * (1 + Math.ceil((at - pause.at) / spacingMs)) };
  });
}

/** Whether each worker learned of `pause` (within it): every one must have. */
export const whoLearned = (fleet: readonly WorkerTotals[], pause: PauseSpan): Record<string, boolean> =>
  Object.fromEntries(fleet.map((totals) => [totals.worker, learnedAt(totals, pause) !== undefined]));

/** `value`, for every worker. */
export const everyWorker = <T>(fleet: readonly WorkerTotals[], value: T): Record<string, T> =>
  Object.fromEntries(fleet.map((totals) => [totals.worker, value]));

/** Nothing, for every worker: what `sentAfterLearning` must find. */
export const nothingFrom = (fleet: readonly WorkerTotals[]): Record<string, number[]> =>
  Object.fromEntries(fleet.map((totals) => [totals.worker, []]));

/** Wait until `check` holds, asking every `everyMs`. */
export async function until(check: () => boolean | Promise<boolean>, withinMs: number, what: string, everyMs = 10): Promise<void> {
  const ends = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > ends) throw new Error(`${what}: not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

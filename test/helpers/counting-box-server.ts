// A Box-like server that keeps a per-user limit (examples/fleet-server.mjs) in a process of its
// own (test/fleet/counting-server.mjs), and what the pacing tests read from what it counted.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../fleet/counting-server.mjs', import.meta.url));

/** One request as the server read it: times on the shared clock (performance.timeOrigin + performance.now()). */
export interface CountedRequest {
  receivedAt: number;
  /** When the worker handed it to its transport (`x-sent-at`). */
  sentAt: number | undefined;
  worker: string;
  status: number;
  /** The server's max when it read it. */
  max: number | undefined;
}

export interface Counted {
  log: CountedRequest[];
  /** When the limit was lowered, if it was. */
  loweredAt: number | undefined;
}

export interface CountingServer {
  url: string;
  /** What it has counted so far. */
  counted(): Promise<Counted>;
  close(): Promise<void>;
}

/** Start it with `startFleetServer`'s options; resolves once it listens. */
export async function startCountingServer(options: { limit: { max: number; perMs: number }; lowerTo?: { max: number; afterMs: number } }): Promise<CountingServer> {
  const child = fork(SERVER, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (message: { type: string; url: string }) => {
      if (message.type === 'ready') resolve(message.url);
    });
    child.once('exit', (code) => reject(new Error(`the counting server exited with ${code} before it listened`)));
  });
  return {
    url,
    counted: () =>
      new Promise((resolve) => {
        const heard = (message: { type: string } & Counted) => {
          if (message.type !== 'log') return;
          child.off('message', heard);
          resolve({ log: message.log, loweredAt: message.loweredAt });
        };
        child.on('message', heard);
        child.send({ type: 'log' });
      }),
    async close() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}

/** The 429s of `log` read within [from, to). */
export function refusedWithin(log: readonly CountedRequest[], from: number, to: number): CountedRequest[] {
  return log.filter((request) => request.status === 429 && request.receivedAt >= from && request.receivedAt < to);
}

/** The requests of `log` accepted within [from, to). */
export function acceptedWithin(log: readonly CountedRequest[], from: number, to: number): number {
  return log.filter((request) => request.status === 200 && request.receivedAt >= from && request.receivedAt < to).length;
}

/** The mean send-to-read lag of `log`, in milliseconds. */
export function meanLag(log: readonly CountedRequest[]): number {
  const sent = log.filter((request) => request.sentAt !== undefined);
  return sent.reduce((sum, request) => sum + request.receivedAt - (request.sentAt as number), 0) / Math.max(1, sent.length);
}

/**
 * How many requests a fleet pacing by arrival can have accepted in `spanMs` under a limit of `max`
 * in `perMs`, when requests take `lagMs` from send to arrival: a slot is given again once the
 * request that held it is answered, so each turn of a slot lasts its window plus about four such
 * trips (the answer coming back, asking for the slot again, its answer, the next request's way
 * there). On an idle machine (a few milliseconds) that is the limit itself.
 */
export function usable(max: number, perMs: number, spanMs: number, lagMs: number): number {
  return (max * spanMs) / (perMs + 4 * lagMs);
}

/** Send-to-read lags of `log`, in milliseconds, sorted: the `q` quantile (0 to 1). */
export function lagQuantile(log: readonly CountedRequest[], q: number): number {
  const lags = log.filter((request) => request.sentAt !== undefined).map((request) => request.receivedAt - (request.sentAt as number));
  lags.sort((a, b) => a - b);
  return lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] ?? 0;
}

/**
 * What the server read in the window of each 429 of `log` (ms before it, worker, send-to-read lag,
 * status): what a failed assertion shows.
 */
export function refusalsInContext(log: readonly CountedRequest[], perMs: number): string {
  return log
    .filter((request) => request.status === 429)
    .map((refused) => {
      const window = log.filter((request) => request.receivedAt > refused.receivedAt - perMs && request.receivedAt <= refused.receivedAt);
      const rows = window.map((request) => `-${(refused.receivedAt - request.receivedAt).toFixed(0)} ${request.worker} lag ${((request.receivedAt - (request.sentAt ?? NaN))).toFixed(0)} ${request.status}`);
      return `429 to ${refused.worker}, max ${refused.max}, ${window.length} read in its window: ${rows.join(', ')}`;
    })
    .join('\n');
}

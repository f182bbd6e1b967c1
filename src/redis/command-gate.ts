import { clock } from '../util/wait.js';
import type { RedisLink } from './link.js';

/** What a Redis command gives back when Redis could not be used: the local state serves. */
export const UNSHARED = Symbol('unshared');
const TIMED_OUT = Symbol('timed out');
/** Node's: what runs once the sockets that are ready have been read (the sources are typed without Node). */
const afterIo = (globalThis as unknown as { setImmediate: (run: () => void) => unknown }).setImmediate;

/**
 * How long Redis is left alone after it did not answer, before one command tries it again: short,
 * since sharing must be back within a second of Redis answering; long enough that calls do not
 * each wait `timeoutMs` for a Redis that is gone.
 */
const AWAY_MS = 500;

/** The way to Redis's commands, and whether Redis is answering them. */
export interface CommandGate {
  /**
   * A command on Redis, or UNSHARED when Redis is slow, gone, or left alone for now. `always`:
   * sent even then, as what undoes an earlier command must be (a lock taken by a command that
   * timed out here may still land).
   */
  run<T>(command: (link: RedisLink) => Promise<T>, always?: boolean): Promise<T | typeof UNSHARED>;
  /** Whether Redis answered the last command. */
  answering(): boolean;
  /** Stop trying Redis again by itself. */
  close(): void;
}

/**
 * The commands of one store. A command not answered within `timeoutMs` leaves Redis alone for
 * AWAY_MS, then `probe()` tries it again (and again, while it stays away); `back()` is told when
 * Redis answers after it did not (or answers for the first time).
 */
export function commandGate(link: RedisLink, timeoutMs: number, probe: () => unknown, back: () => void): CommandGate {
  let answering = false;
  let awayUntil = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const answered = (): void => {
    if (answering) return;
    answering = true;
    back();
  };
  const away = (): void => {
    answering = false;
    // The commands that were under way together fail together: one outage, one wait.
    if (clock() < awayUntil) return;
    awayUntil = clock() + AWAY_MS;
    if (retry || closed) return;
    retry = setTimeout(() => {
      retry = undefined;
      // A timer may run a hair before the monotonic clock says it is due: the probe must go.
      awayUntil = 0;
      if (!closed) probe();
    }, AWAY_MS);
    (retry as { unref?: () => void }).unref?.();
  };

  return {
    async run(command, always = false) {
      if (!always && !answering && clock() < awayUntil) return UNSHARED;
      try {
        const answer = await within(command(link), timeoutMs);
        if (answer === TIMED_OUT) throw new Error('timed out');
        answered();
        return answer;
      } catch {
        away();
        return UNSHARED;
      }
    },
    answering: () => answering,
    close() {
      closed = true;
      clearTimeout(retry);
    },
  };
}

/**
 * `work`, or TIMED_OUT when it has not settled `ms` after it started. A stall (a long synchronous
 * stretch: a GC pause, a large JSON parse) is not taken for Redis not answering: a reply that
 * arrived meanwhile is in the socket, not yet read, when the late timer runs (timers come first in
 * the loop), so the verdict waits until the sockets have been read (setImmediate runs after that);
 * and when the timer ran that late, the command may itself have been written only now (a client
 * may write on a later tick), so it is given its time once more.
 */
function within<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let due = clock() + ms;
    let again = true;
    const verdict = (): unknown =>
      afterIo(() => {
        if (settled) return;
        if (again && clock() - due > ms / 2) {
          again = false;
          due = clock() + ms;
          timer = setTimeout(verdict, ms);
          return;
        }
        resolve(TIMED_OUT);
      });
    let timer = setTimeout(verdict, ms);
    work.then(
      (value) => {
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        settled = true;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

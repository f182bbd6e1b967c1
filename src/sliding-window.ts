import type { BoxRateWindow } from './store-types.js';

/**
 * Sliding windows kept in this process: per scope and rule, the times of the requests it let
 * through within the last `perMs`. In no window of `perMs` does a scope count more than `max`
 * (times `share`: the part of each limit this process keeps to, when it shares the limit with
 * others it cannot reach).
 */
export class SlidingWindows {
  readonly #sent = new Map<string, number[]>();

  /**
   * Count a request of `scope` in every window, when each has room: 0. Else count it in none, and
   * answer the milliseconds until the fullest one has room.
   */
  acquire(scope: string, windows: readonly BoxRateWindow[], now: number, share = 1): number {
    let wait = 0;
    const logs: number[][] = [];
    for (const window of windows) {
      const key = `${scope}\n${window.name}`;
      let log = this.#sent.get(key);
      if (!log) {
        log = [];
        this.#sent.set(key, log);
      }
      // Oldest first: what fell out of the window is at the front.
      let expired = 0;
      while (expired < log.length && (log[expired] as number) <= now - window.perMs) expired += 1;
      if (expired > 0) log.splice(0, expired);
      const max = Math.max(1, Math.floor(window.max * share));
      // Room comes when the oldest of the last `max` requests leaves the window.
      if (log.length >= max) wait = Math.max(wait, (log[log.length - max] as number) + window.perMs - now);
      logs.push(log);
    }
    if (wait > 0) return wait;
    for (const log of logs) log.push(now);
    return 0;
  }
}

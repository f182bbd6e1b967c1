import type { BoxRateWindow } from '../store/rate-types.js';

// What a pacer learns that its rules cannot tell it: the limit Box enforces now (the effective
// max), after the AWS SDK's adaptive retry mode. Pure functions of a rule's state and the time;
// the memory store's windows (sliding-window.ts) run them, the Redis store's scripts
// (redis/windows.ts) do the same on Redis's clock.

/**
 * What a 429 multiplies the effective max by: the AWS SDK's adaptive retry mode's 0.7. Halving
 * was measured too: with Box's limit dropped from 10 to 5 a second, it met fewer 429s (2 to 3 in
 * the 6 s after, against 4 to 6) but used less of the lowered limit (80 % in the last 3 s,
 * against 93 %): climbing back by one a window, a deeper cut takes longer to climb.
 */
export const DECREASE = 0.7;

/**
 * How long after its slot a request not yet answered is counted as if it reached Box then (or a
 * window, when longer): until it is answered it may still arrive (a process stalled for seconds, a
 * slow network), and one whose process died frees its slot after that.
 */
export const PENDING_MS = 10_000;

/**
 * How soon a request waiting for a slot asks again while the request that holds it is not yet
 * answered: that one is counted until its answer says when it reached Box, which may free the
 * slot long before the whole window it is held for.
 */
export const PENDING_POLL_MS = 50;

/** What a 429 left: the effective max it set, when the climb back starts, and when it was last cut. */
export interface Lowered {
  readonly max: number;
  /** The end of the pause the 429 started: windows without requests tell nothing of the limit. */
  readonly from: number;
  readonly cutAt: number;
}

type Rule = Pick<BoxRateWindow, 'max' | 'perMs'>;

/**
 * The max a pacer keeps to now: the rule's, or after a 429 the one it set, plus one for each
 * whole window since its pause ended, never above the rule's.
 */
export function effectiveMax(rule: Rule, lowered: Lowered | undefined, now: number): number {
  if (!lowered) return rule.max;
  const windows = now > lowered.from ? Math.floor((now - lowered.from) / rule.perMs) : 0;
  return Math.min(rule.max, lowered.max + windows);
}

/**
 * What a 429 met `now` leaves, the scope paused for `pausedMs`: the effective max cut by
 * {@link DECREASE} (at least 1), unless it was cut less than a window ago (the other 429s of one
 * overfilled window are one signal, not several); either way the climb starts again after the
 * pause.
 */
export function lowerOn429(rule: Rule, lowered: Lowered | undefined, now: number, pausedMs: number): Lowered {
  const current = effectiveMax(rule, lowered, now);
  const from = now + Math.max(0, pausedMs);
  if (lowered && now - lowered.cutAt < rule.perMs) return { max: current, from, cutAt: lowered.cutAt };
  return { max: Math.max(1, Math.floor(current * DECREASE)), from, cutAt: now };
}

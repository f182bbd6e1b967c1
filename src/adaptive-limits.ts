import type { PacedWindow } from './sliding-window.js';
import type { BoxEffectiveLimit, BoxRateWindow } from './store-types.js';

// What a pacer learns that its rules cannot tell it: how late a request granted a slot may reach
// Box (the margin), and the limit Box enforces now (the effective max). Pure functions of a
// rule's state and the time; the memory store runs them, the Redis store's scripts
// (redis/windows.ts) do the same on Redis's clock.

/**
 * How long a lag is remembered: for one to two periods of this (or of the window, when longer),
 * so that one slow moment widens the windows for a while, not for ever.
 */
export const LAG_MEMORY_MS = 10_000;
/**
 * The least margin (the margin before any lag is known): a slot counted before the fleet has seen
 * a single answer must still not reach Box inside a window Box counts as full.
 */
export const LEAST_MARGIN_MS = 50;
/** The most a margin may widen a window, as a part of it: a slow upload must not stall the pace. */
export const MOST_MARGIN_PART = 0.25;
/**
 * What a 429 multiplies the effective max by: the AWS SDK's adaptive retry mode's 0.7. Halving
 * was measured too: with Box's limit dropped from 10 to 5 a second, it met fewer 429s (2 to 3 in
 * the 6 s after, against 4 to 6) but used less of the lowered limit (80 % in the last 3 s,
 * against 93 %): climbing back by one a window, a deeper cut takes longer to climb.
 */
export const DECREASE = 0.7;

/** The longest lag seen in the current lag period, and in the one before. */
export interface LagRecord {
  readonly period: number;
  readonly most: number;
  readonly before: number;
}

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
 * {@link DECREASE} (at least 1), unless it was cut less than a window ago (the other 429s of one overfilled window are one
 * signal, not several); either way the climb starts again after the pause.
 */
export function lowerOn429(rule: Rule, lowered: Lowered | undefined, now: number, pausedMs: number): Lowered {
  const current = effectiveMax(rule, lowered, now);
  const from = now + Math.max(0, pausedMs);
  if (lowered && now - lowered.cutAt < rule.perMs) return { max: current, from, cutAt: lowered.cutAt };
  return { max: Math.max(1, Math.floor(current * DECREASE)), from, cutAt: now };
}

const periodOf = (perMs: number, now: number): number => Math.floor(now / Math.max(perMs, LAG_MEMORY_MS));

/** The record as of `now`: a period gone by moves its most to `before`; two forget it. */
function rolled(record: LagRecord | undefined, perMs: number, now: number): LagRecord {
  const period = periodOf(perMs, now);
  if (record?.period === period) return record;
  return { period, most: 0, before: record?.period === period - 1 ? record.most : 0 };
}

/** The record with a lag of `ms` seen `now`. */
export function withLag(record: LagRecord | undefined, perMs: number, ms: number, now: number): LagRecord {
  const current = rolled(record, perMs, now);
  return ms > current.most ? { ...current, most: Math.ceil(ms) } : current;
}

/**
 * How long after its slot a request not yet answered is counted (the latest it may reach Box, as
 * far as the fleet knows): the longest lag remembered (from asking for a slot to the answer of the
 * request it let through: no request reaches Box later than that after its slot), at least
 * {@link LEAST_MARGIN_MS}, at most {@link MOST_MARGIN_PART} of the window. Once answered, a
 * request is counted at its own lag instead.
 */
export function marginMs(record: LagRecord | undefined, perMs: number, now: number): number {
  const most = Math.ceil(perMs * MOST_MARGIN_PART);
  const { most: seen, before } = rolled(record, perMs, now);
  return Math.min(most, Math.max(LEAST_MARGIN_MS, seen, before));
}

/** What was learnt of one rule in one scope. */
interface Learnt {
  readonly scope: string;
  rule: BoxRateWindow;
  lag: LagRecord | undefined;
  lowered: Lowered | undefined;
  /** When it was last asked for or told of: a scope that went quiet is forgotten. */
  usedAt: number;
}

/** How many uses between two sweeps of what was learnt of scopes that went quiet. */
const SWEEP_EVERY = 1024;

/**
 * What this process learnt of each scope's rules: the lags and the 429s, and from them the windows
 * to pace by (each rule's effective max, its window widened by the margin).
 */
export class AdaptiveLimits {
  readonly #learnt = new Map<string, Learnt>();
  #untilSweep = SWEEP_EVERY;

  /** `windows` of `scope` as paced now: each with its effective max and its margin. */
  paced(scope: string, windows: readonly BoxRateWindow[], now: number): PacedWindow[] {
    return windows.map((window) => {
      const learnt = this.#of(scope, window, now);
      return { name: window.name, max: effectiveMax(window, learnt.lowered, now), perMs: window.perMs, marginMs: marginMs(learnt.lag, window.perMs, now) };
    });
  }

  /** A request of `scope` in `windows` was answered `ms` after it asked for its slot. */
  lag(scope: string, windows: readonly BoxRateWindow[], ms: number, now: number): void {
    for (const window of windows) {
      const learnt = this.#of(scope, window, now);
      learnt.lag = withLag(learnt.lag, window.perMs, ms, now);
    }
  }

  /** A request of `scope` in `windows` met a 429, and the scope is paused for `pausedMs`. */
  rateLimited(scope: string, windows: readonly BoxRateWindow[], now: number, pausedMs: number): void {
    for (const window of windows) {
      const learnt = this.#of(scope, window, now);
      learnt.lowered = lowerOn429(window, learnt.lowered, now, pausedMs);
    }
  }

  /** The windows of `scope` (else of every scope) as paced now. */
  limits(scope: string | undefined, now: number): BoxEffectiveLimit[] {
    const limits: BoxEffectiveLimit[] = [];
    for (const learnt of this.#learnt.values()) {
      if (scope !== undefined && learnt.scope !== scope) continue;
      const { name, max, perMs } = learnt.rule;
      limits.push({ scope: learnt.scope, name, max, effectiveMax: effectiveMax(learnt.rule, learnt.lowered, now), perMs, marginMs: marginMs(learnt.lag, perMs, now) });
    }
    return limits;
  }

  /** How many rules of scopes it keeps. */
  get size(): number {
    return this.#learnt.size;
  }

  #of(scope: string, window: BoxRateWindow, now: number): Learnt {
    if ((this.#untilSweep -= 1) <= 0) this.#sweep(now);
    const key = `${scope}\n${window.name}`;
    let learnt = this.#learnt.get(key);
    if (!learnt) {
      learnt = { scope, rule: window, lag: undefined, lowered: undefined, usedAt: now };
      this.#learnt.set(key, learnt);
    }
    learnt.rule = window;
    learnt.usedAt = now;
    return learnt;
  }

  /**
   * Forget the rules of scopes unused for two lag memories whose limit is whole again: a scope per
   * user must not grow forever, nor forget a limit Box lowered.
   */
  #sweep(now: number): void {
    this.#untilSweep = SWEEP_EVERY;
    for (const [key, learnt] of this.#learnt) {
      const { rule } = learnt;
      const quiet = now - learnt.usedAt > 2 * Math.max(rule.perMs, LAG_MEMORY_MS);
      if (quiet && effectiveMax(rule, learnt.lowered, now) >= rule.max) this.#learnt.delete(key);
    }
  }
}

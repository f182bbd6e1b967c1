import type { BoxEffectiveLimit, BoxRateWindow } from './store-types.js';

// What a pacer learns that its rules cannot tell it: the limit Box enforces now (the effective
// max), after the AWS SDK's adaptive retry mode. Pure functions of a rule's state and the time;
// the memory store runs them, the Redis store's scripts (redis/windows.ts) do the same on Redis's
// clock.

/**
 * What a 429 multiplies the effective max by: the AWS SDK's adaptive retry mode's 0.7. Halving
 * was measured too: with Box's limit dropped from 10 to 5 a second, it met fewer 429s (2 to 3 in
 * the 6 s after, against 4 to 6) but used less of the lowered limit (80 % in the last 3 s,
 * against 93 %): climbing back by one a window, a deeper cut takes longer to climb.
 */
export const DECREASE = 0.7;

/**
 * How soon a request waiting for a slot asks again while the request that holds it is not yet
 * answered: that one is counted until its answer says when it reached Box, which may free the
 * slot long before the whole window it is held for.
 */
export const PENDING_POLL_MS = 50;

/** How long a rule of a scope no longer used stays in `limits()`, at least (two windows, when longer). */
export const UNUSED_MS = 10_000;

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

/** What was learnt of one rule in one scope. */
interface Learnt {
  readonly scope: string;
  rule: BoxRateWindow;
  lowered: Lowered | undefined;
}

/** How many uses between two sweeps of the rules whose limit is whole again. */
const SWEEP_EVERY = 1024;

/**
 * What this process learnt of each scope's rules from the 429s it was told of, and from it the
 * windows to pace by (each rule with its effective max).
 */
export class AdaptiveLimits {
  readonly #learnt = new Map<string, Learnt>();
  /** The rules of scopes used lately, for `limits()`: forgotten at the sweeps. */
  readonly #used = new Map<string, { scope: string; rule: BoxRateWindow; at: number }>();
  #untilSweep = SWEEP_EVERY;

  /** `windows` of `scope` as paced now: each with its effective max. */
  paced(scope: string, windows: readonly BoxRateWindow[], now: number): BoxRateWindow[] {
    if ((this.#untilSweep -= 1) <= 0) this.#sweep(now);
    return windows.map((window) => {
      const key = `${scope}\n${window.name}`;
      this.#used.set(key, { scope, rule: window, at: now });
      const learnt = this.#learnt.get(key);
      return learnt ? { name: window.name, max: effectiveMax(window, learnt.lowered, now), perMs: window.perMs } : window;
    });
  }

  /** A request of `scope` in `windows` met a 429, and the scope is paused for `pausedMs`. */
  rateLimited(scope: string, windows: readonly BoxRateWindow[], now: number, pausedMs: number): void {
    for (const window of windows) {
      const key = `${scope}\n${window.name}`;
      const learnt = this.#learnt.get(key) ?? { scope, rule: window, lowered: undefined };
      learnt.rule = window;
      learnt.lowered = lowerOn429(window, learnt.lowered, now, pausedMs);
      this.#learnt.set(key, learnt);
      this.#used.set(key, { scope, rule: window, at: now });
    }
  }

  /** The rules of `scope` (else of every scope) used lately, as paced now. */
  limits(scope: string | undefined, now: number): BoxEffectiveLimit[] {
    const limits: BoxEffectiveLimit[] = [];
    for (const [key, used] of this.#used) {
      if (scope !== undefined && used.scope !== scope) continue;
      const { name, max, perMs } = used.rule;
      limits.push({ scope: used.scope, name, max, effectiveMax: effectiveMax(used.rule, this.#learnt.get(key)?.lowered, now), perMs });
    }
    return limits;
  }

  /** How many rules of scopes it keeps. */
  get size(): number {
    return this.#used.size + this.#learnt.size;
  }

  /**
   * Forget the rules unused for a while, and those whose limit is whole again: a scope per
   * user must not grow forever, nor forget a limit Box lowered.
   */
  #sweep(now: number): void {
    this.#untilSweep = SWEEP_EVERY;
    for (const [key, { rule, lowered }] of this.#learnt) if (effectiveMax(rule, lowered, now) >= rule.max) this.#learnt.delete(key);
    for (const [key, used] of this.#used) {
      if (now - used.at > Math.max(2 * used.rule.perMs, UNUSED_MS) && !this.#learnt.has(key)) this.#used.delete(key);
    }
  }
}

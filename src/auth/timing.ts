import type { BoxAuthRefreshError } from '../errors/auth-refresh-error.js';
import type { BoxStoredToken } from '../store/token-store-types.js';
import { clock } from '../util/wait.js';

/** The longest cooldown after failed refreshes in a row (`refreshCooldownMs` doubles up to it). */
export const MAX_REFRESH_COOLDOWN_MS = 60_000;

/** The cooldown after failed refreshes, as a BoxAuth keeps it. */
export interface RefreshCooldown {
  /** The last failed refresh: the cause of the calls refused meanwhile. */
  readonly last: BoxAuthRefreshError | undefined;
  /** A failure after `streak` in a row (by default the current run): the cooldown doubles for each. */
  failed(failure: BoxAuthRefreshError, streak?: number): void;
  /** A refresh gave a token: the run of failures ends. How long it was, should Box refuse that token at once. */
  succeeded(): number;
  /** Milliseconds left of it: none (0 or less) when a refresh may start. */
  leftMs(): number;
}

/**
 * The cooldown after failed refreshes: `refreshCooldownMs` after the first, doubled for each
 * failure in a row up to MAX_REFRESH_COOLDOWN_MS, over after a success. On the monotonic clock.
 */
export function refreshCooldown(refreshCooldownMs: number): RefreshCooldown {
  let failures = 0;
  let until = 0;
  let last: BoxAuthRefreshError | undefined;
  return {
    get last() {
      return last;
    },
    failed(failure, streak = failures) {
      failures = streak + 1;
      until = clock() + Math.min(MAX_REFRESH_COOLDOWN_MS, refreshCooldownMs * 2 ** (failures - 1));
      last = failure;
    },
    succeeded() {
      const streak = failures;
      failures = 0;
      until = 0;
      return streak;
    },
    leftMs: () => until - clock(),
  };
}

/** When a token stops serving and when its background refresh is due, on the monotonic clock. */
export interface TokenTimes {
  readonly validUntil: number;
  readonly refreshFrom: number;
}

/** Whether a token is due for its proactive refresh (see tokenTimes): from `refreshFrom` on. */
export function isDue(times: TokenTimes, now = clock()): boolean {
  return now >= times.refreshFrom;
}

/**
 * The proactive-refresh rule, the one place it is written (isDue reads it): a token is refreshed once less than
 * `refreshBeforeExpiryMs` is left of it, or, when its whole lifetime (known when it says when it
 * was issued) is shorter than twice that, once less than half of it is left: a 2 s token is not
 * refreshed on every call. The times are moved onto the monotonic clock as the token arrives, so
 * that a wall-clock jump afterwards neither expires it early nor keeps it late.
 */
export function tokenTimes(token: Pick<BoxStoredToken, 'expiresAt' | 'issuedAt'>, refreshBeforeExpiryMs: number): TokenTimes {
  if (token.expiresAt === undefined) return { validUntil: Infinity, refreshFrom: Infinity };
  const validUntil = clock() + token.expiresAt - Date.now();
  const lifetime = token.issuedAt === undefined ? Infinity : token.expiresAt - token.issuedAt;
  return { validUntil, refreshFrom: validUntil - Math.min(refreshBeforeExpiryMs, lifetime / 2) };
}

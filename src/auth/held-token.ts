import { BoxAuthRefreshError } from '../errors/auth-refresh-error.js';
import { TOKEN_REFUSED_AT_ONCE } from '../errors/messages.js';
import type { BoxStoredToken } from '../store/token-store-types.js';
import type { HeldToken } from './options.js';
import { isDue, tokenTimes, type RefreshCooldown, type TokenTimes } from './timing.js';
import type { BoxAuthRefreshReason } from './types.js';

/**
 * How many of its latest access tokens a BoxAuth scrubs from errors: older ones have long been
 * replaced, and each call's own token is scrubbed from its own config anyway.
 */
const RECENT_TOKENS = 8;

/** The token a BoxAuth serves, and what it knows of it. */
export interface Current extends TokenTimes {
  readonly token: HeldToken;
  /** Why the refresh that gave it ran. */
  readonly reason: BoxAuthRefreshReason;
  /**
   * This BoxAuth's refresh gave it and Box has answered it with nothing but 401 yet: a 401 fails
   * that refresh, the failures in a row before it (this many) counting on. Undefined once proven,
   * or for another process's token.
   */
  streak: number | undefined;
}

/** A token a refresh gave: this process's, or (`fromStore`) another's, read from the store. */
export type Fetched = HeldToken & { fromStore?: boolean };

/**
 * What a BoxAuth holds: the token it serves (until Box refuses it, or it is invalidated), the one
 * Box last refused, the newest refresh token, and its latest access tokens (scrubbed from its
 * errors, and never news when the store hands one back).
 */
export class TokenHolder {
  current: Current | undefined;
  /** A token Box answered 401 to, forgotten at once: the next call must not send it. */
  refused: string | undefined;
  /** The newest refresh token known: kept when the token it came with is refused or invalidated. */
  refreshToken: string | undefined;
  readonly #recent: string[];
  /** The refresh whose token is current: an abandoned one settling late replaces no newer token. */
  #adopted = 0;
  readonly #refreshBeforeExpiryMs: number;
  readonly #cooldown: RefreshCooldown;
  readonly #refreshSecrets: () => readonly string[];

  constructor(initial: HeldToken | undefined, refreshBeforeExpiryMs: number, cooldown: RefreshCooldown, refreshSecrets: () => readonly string[]) {
    this.#refreshBeforeExpiryMs = refreshBeforeExpiryMs;
    this.#cooldown = cooldown;
    this.#refreshSecrets = refreshSecrets;
    this.current = initial && this.#timed(initial, 'missing', undefined);
    this.refreshToken = initial?.refreshToken;
    this.#recent = initial ? [initial.accessToken] : [];
  }

  #timed(token: HeldToken, reason: BoxAuthRefreshReason, streak: number | undefined): Current {
    return { token, reason, streak, ...tokenTimes(token, this.#refreshBeforeExpiryMs) };
  }

  /** The credentials held (the latest tokens, the refresh token, the refresher's own): scrubbed from errors. */
  secrets(): string[] {
    return [...this.#recent, ...(this.refreshToken ? [this.refreshToken] : []), ...this.#refreshSecrets()];
  }

  /** Serve the token refresh number `generation` gave, unless a later refresh's token is current already. */
  adopt(token: Fetched, generation: number, reason: BoxAuthRefreshReason): void {
    if (generation < this.#adopted) return;
    this.#adopted = generation;
    // A token from the store is another process's refresh: a 401 to it fails none of this one's.
    const streak = this.#cooldown.succeeded();
    this.current = this.#timed(token, reason, token.fromStore === true ? undefined : streak);
    this.refused = undefined;
    if (token.refreshToken) this.refreshToken = token.refreshToken;
    const recent = this.#recent;
    if (!recent.includes(token.accessToken) && recent.push(token.accessToken) > RECENT_TOKENS) recent.shift();
  }

  /** Box answered 401 to `token`: when it is the current one, no call may send it again. */
  refuse(token: string): void {
    const held = this.current;
    if (held?.token.accessToken !== token) return;
    if (held.streak !== undefined) {
      // Its refresh was no success after all: the failures in a row go on, and the cooldown doubles.
      const failure = new BoxAuthRefreshError({ reason: held.reason, cause: new Error(TOKEN_REFUSED_AT_ONCE), secrets: this.secrets() });
      this.#cooldown.failed(failure, held.streak);
    }
    this.current = undefined;
    this.refused = token;
  }

  /** Box answered `token` with anything but a 401: the refresh that gave it succeeded. */
  accept(token: string): void {
    const held = this.current;
    if (held?.token.accessToken === token) held.streak = undefined;
  }

  /** Forget the current token: the next refresh's reason is `missing`, as documented, even after a 401. */
  invalidate(): void {
    this.current = undefined;
    this.refused = undefined;
  }

  /**
   * Whether the store's token serves: only another process's token (one this BoxAuth never held) is
   * news, and only while it is not due for its own refresh; the store's copy of one held here is
   * the one being replaced, or older (a write that failed).
   */
  isNews(token: BoxStoredToken, rejectedToken: string | undefined): boolean {
    return !this.#recent.includes(token.accessToken) && token.accessToken !== rejectedToken && !isDue(tokenTimes(token, this.#refreshBeforeExpiryMs));
  }

  /** Keep the refresh token of another process's token found in the store; whether there was one to keep. */
  learn(token: BoxStoredToken): boolean {
    if (!token.refreshToken || this.#recent.includes(token.accessToken)) return false;
    this.refreshToken = token.refreshToken;
    return true;
  }
}

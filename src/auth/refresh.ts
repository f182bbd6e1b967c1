import { BoxAuthRefreshError } from '../errors/auth-refresh-error.js';
import { REFUSED_TOKEN_AGAIN, TOKEN_EXPIRED_ALREADY } from '../errors/messages.js';
import { publishRefresh } from '../events/refresh-event.js';
import { clock } from '../util/wait.js';
import type { Fetched, TokenHolder } from './held-token.js';
import { obtainShared, quietly } from './lease.js';
import { heldToken, type HeldToken, type ResolvedAuthOptions } from './options.js';
import type { RefreshCooldown } from './timing.js';
import type { BoxAuthRefreshContext, BoxAuthRefreshEvent, BoxAuthRefreshReason } from './types.js';

/**
 * A BoxAuth's refreshes: one at a time, bounded by `refreshTimeoutMs`, shared through the store
 * when it has one, told to `onRefresh`; none while a failed one's cooldown runs.
 */
export class Refreshes {
  /** The refresh callers wait for, until it settles or is abandoned. */
  waiting: Promise<Fetched> | undefined;
  /** Refreshes started: each is adopted only when no later one's token is current. */
  #started = 0;
  readonly #options: ResolvedAuthOptions;
  readonly #holder: TokenHolder;
  readonly #cooldown: RefreshCooldown;
  /** Names this BoxAuth's refreshes as holders of the store's lock. */
  readonly #id = Math.random().toString(36).slice(2, 10);

  constructor(options: ResolvedAuthOptions, holder: TokenHolder, cooldown: RefreshCooldown) {
    this.#options = options;
    this.#holder = holder;
    this.#cooldown = cooldown;
  }

  /**
   * A new token: the refresh under way, else a new one, unless a failed one's cooldown runs. In a
   * cooldown, a token another process has put in the store since serves (reading it touches no
   * token endpoint); without one the call is refused at once.
   */
  async need(reason: BoxAuthRefreshReason, rejectedToken?: string): Promise<Fetched> {
    if (this.waiting) return this.waiting;
    const cooldown = this.#cooldown;
    if (cooldown.leftMs() > 0) {
      const { shared } = this.#options;
      const stored = shared && (await quietly(() => shared.store.readToken(shared.key), undefined));
      if (stored && this.#holder.isNews(stored, rejectedToken)) {
        const token = { expiresAt: undefined, ...stored, fromStore: true };
        this.#holder.adopt(token, this.#started, reason);
        return token;
      }
      if (this.waiting) return this.waiting;
      const left = cooldown.leftMs();
      if (left > 0) {
        throw new BoxAuthRefreshError({ reason, cause: cooldown.last, coolingDownMs: Math.ceil(left), secrets: this.#holder.secrets() });
      }
    }
    return this.start(reason, rejectedToken);
  }

  /**
   * Start a refresh, bounded by refreshTimeoutMs: its one outcome is what every waiting call gets.
   * Past the timeout it is abandoned (its signal aborts) and nobody waits for it any more; what it
   * still gives is adopted, unless a newer refresh's token is current by then.
   */
  start(reason: BoxAuthRefreshReason, rejectedToken?: string): Promise<Fetched> {
    const { refreshTimeoutMs } = this.#options;
    const holder = this.#holder;
    const generation = ++this.#started;
    const begun = clock();
    const controller = new AbortController();
    const context: BoxAuthRefreshContext = { reason, rejectedToken, refreshToken: holder.refreshToken, signal: controller.signal };
    const work = Promise.resolve().then(() => this.#obtain(context, generation));
    work.then((token) => holder.adopt(token, generation, reason), () => {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = new Promise<Fetched>((resolve, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new BoxAuthRefreshError({ reason, cause: undefined, timedOutAfterMs: refreshTimeoutMs, secrets: holder.secrets() }));
      }, refreshTimeoutMs);
      work.then(resolve, (error: unknown) => reject(new BoxAuthRefreshError({ reason, cause: error, secrets: holder.secrets() })));
    });
    const settled = outcome.then(
      (token) => {
        clearTimeout(timer);
        if (this.waiting === settled) this.waiting = undefined;
        this.#notify({ reason, ok: true, durationMs: clock() - begun, expiresAt: token.expiresAt, fromStore: token.fromStore === true });
        return token;
      },
      (failure: BoxAuthRefreshError) => {
        clearTimeout(timer);
        if (this.waiting === settled) this.waiting = undefined;
        this.#cooldown.failed(failure);
        this.#notify({ reason, ok: false, durationMs: clock() - begun, error: failure });
        throw failure;
      },
    );
    // Nobody need be waiting: a background refresh, or callers cancelled meanwhile.
    settled.catch(() => {});
    this.waiting = settled;
    return settled;
  }

  /** Refresh number `generation`: through the store when there is one (see obtainShared), else here. */
  #obtain(context: BoxAuthRefreshContext, generation: number): Promise<Fetched> {
    const { shared, refreshTimeoutMs } = this.#options;
    if (!shared) return this.#refreshHere(context);
    const holder = this.#holder;
    return obtainShared({
      ...shared,
      owner: `${this.#id}.${generation}`,
      signal: context.signal,
      refreshTimeoutMs,
      usable: (token) => holder.isNews(token, context.rejectedToken),
      learn(token) {
        if (holder.learn(token)) context.refreshToken = holder.refreshToken;
      },
      refresh: () => this.#refreshHere(context),
    });
  }

  /** Refresh in this process, and keep the token where every process sharing the store finds it. */
  async #refreshHere(context: BoxAuthRefreshContext): Promise<HeldToken> {
    const { refresh, shared } = this.#options;
    const given = heldToken(await refresh(context), 'the value refresh() resolved to');
    if (given.accessToken === context.rejectedToken) throw new Error(REFUSED_TOKEN_AGAIN);
    // A token dead on arrival (`expiresIn: 0`, `expiresAt` in seconds by mistake) is no success:
    // taken as one, it would start no cooldown and every call would refresh again.
    if (given.expiresAt !== undefined && given.expiresAt <= Date.now()) throw new Error(TOKEN_EXPIRED_ALREADY);
    const token = { ...given, issuedAt: given.issuedAt ?? Date.now() };
    // A store that fails to keep it costs the fleet this token, not this process.
    if (shared) await quietly(() => shared.store.writeToken(shared.key, token), undefined);
    return token;
  }

  #notify(event: BoxAuthRefreshEvent): void {
    publishRefresh(event);
    try {
      this.#options.onRefresh?.(event);
    } catch {
      // A listener's failure is its own: the refresh stands.
    }
  }
}

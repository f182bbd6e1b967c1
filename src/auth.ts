import type { InternalAxiosRequestConfig } from 'axios';
import { BoxAuthRefreshError } from './auth-error.js';
import { obtainShared, quietly } from './auth-lease.js';
import { heldToken, REFRESH_SECRETS, resolveAuthOptions, type HeldToken } from './auth-options.js';
import { refreshCooldown, tokenTimes, type TokenTimes } from './auth-timing.js';
import type { BoxStoredToken } from './store-types.js';
import type { BoxAuth, BoxAuthOptions, BoxAuthRefreshContext, BoxAuthRefreshEvent, BoxAuthRefreshReason } from './auth-types.js';
import { AUTHORIZE } from './brand.js';
import { AUTH_SECRETS, CallAuth, type CallAuthorizer } from './call-auth.js';
import { publishRefresh } from './events/refresh-event.js';
import { clock } from './wait.js';

/**
 * How many of its latest access tokens a BoxAuth scrubs from errors: older ones have long been
 * replaced, and each call's own token is scrubbed from its own config anyway.
 */
const RECENT_TOKENS = 8;

/** The token a BoxAuth serves, and what it knows of it. */
interface Current extends TokenTimes {
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

type Fetched = HeldToken & { fromStore?: boolean };

/**
 * A managed Box access token for `attachBoxStatus(instance, { auth })`, one BoxAuth for as many
 * instances as act for the same user. Each attempt to one of its origins carries the current
 * token; a missing or expired token is refreshed before a call, an expiring one in the background;
 * a 401 to the current token refreshes it once, whatever the number of calls that meet it, and
 * each is re-sent once. A failed refresh is every waiting call's one outcome, and starts a
 * cooldown. Options are validated here: a bad value throws a TypeError that names it.
 */
export function createBoxAuth(options: BoxAuthOptions): BoxAuth {
  const resolved = resolveAuthOptions(options);
  const { refresh, origins, refreshBeforeExpiryMs, refreshTimeoutMs, refreshCooldownMs, onRefresh, store } = resolved;
  const key = resolved.key as string;
  /** Names this BoxAuth's refreshes as holders of the store's lock. */
  const id = Math.random().toString(36).slice(2, 10);
  const timed = (token: HeldToken, reason: BoxAuthRefreshReason, streak: number | undefined): Current => ({
    token,
    reason,
    streak,
    ...tokenTimes(token, refreshBeforeExpiryMs),
  });
  let current = resolved.initialToken && timed(resolved.initialToken, 'missing', undefined);
  /** A token Box answered 401 to, forgotten at once: the next call must not send it. */
  let refused: string | undefined;
  /** The newest refresh token known: kept when the token it came with is refused or invalidated. */
  let refreshToken = resolved.initialToken?.refreshToken;
  /** The refresh callers wait for, until it settles or is abandoned. */
  let waiting: Promise<Fetched> | undefined;
  /** Refreshes started, and the one whose token is current: an abandoned one settling late replaces no newer token. */
  let started = 0;
  let adopted = 0;
  const cooldown = refreshCooldown(refreshCooldownMs);
  /** The latest access tokens held: scrubbed from this BoxAuth's errors. */
  const recent: string[] = current ? [current.token.accessToken] : [];
  const secrets = (): string[] => [...recent, ...(refreshToken ? [refreshToken] : []), ...(refresh[REFRESH_SECRETS]?.() ?? [])];

  const adopt = (token: Fetched, generation: number, reason: BoxAuthRefreshReason): void => {
    if (generation < adopted) return;
    adopted = generation;
    // A token from the store is another process's refresh: a 401 to it fails none of this one's.
    const streak = cooldown.succeeded();
    current = timed(token, reason, token.fromStore === true ? undefined : streak);
    refused = undefined;
    if (token.refreshToken) refreshToken = token.refreshToken;
    if (!recent.includes(token.accessToken) && recent.push(token.accessToken) > RECENT_TOKENS) recent.shift();
  };

  /** Refresh in this process, and keep the token where every process sharing the store finds it. */
  const refreshHere = async (context: BoxAuthRefreshContext): Promise<HeldToken> => {
    const given = heldToken(await refresh(context), 'the value refresh() resolved to');
    if (given.accessToken === context.rejectedToken) {
      throw new Error('axios-box-status: refresh() resolved to the very token Box had refused');
    }
    // A token dead on arrival (`expiresIn: 0`, `expiresAt` in seconds by mistake) is no success:
    // taken as one, it would start no cooldown and every call would refresh again.
    if (given.expiresAt !== undefined && given.expiresAt <= Date.now()) {
      throw new Error('axios-box-status: refresh() resolved to a token that has already expired');
    }
    const token = { ...given, issuedAt: given.issuedAt ?? Date.now() };
    // A store that fails to keep it costs the fleet this token, not this process.
    if (store) await quietly(() => store.writeToken(key, token), undefined);
    return token;
  };

  /**
   * Whether the store's token serves: only another process's token (one this BoxAuth never held) is
   * news; the store's copy of one held here is the one being replaced, or older (a write that failed).
   */
  const isNews = (token: BoxStoredToken, rejectedToken: string | undefined): boolean =>
    !recent.includes(token.accessToken) && token.accessToken !== rejectedToken && tokenTimes(token, refreshBeforeExpiryMs).refreshFrom > clock();

  const obtain = (context: BoxAuthRefreshContext, generation: number): Promise<Fetched> => {
    if (!store) return refreshHere(context);
    return obtainShared({
      store,
      key,
      owner: `${id}.${generation}`,
      signal: context.signal,
      refreshTimeoutMs,
      usable: (token) => isNews(token, context.rejectedToken),
      learn(token) {
        if (token.refreshToken && !recent.includes(token.accessToken)) context.refreshToken = refreshToken = token.refreshToken;
      },
      refresh: () => refreshHere(context),
    });
  };

  const notify = (event: BoxAuthRefreshEvent): void => {
    publishRefresh(event);
    try {
      onRefresh?.(event);
    } catch {
      // A listener's failure is its own: the refresh stands.
    }
  };

  /**
   * Start a refresh, bounded by refreshTimeoutMs: its one outcome is what every waiting call gets.
   * Past the timeout it is abandoned (its signal aborts) and nobody waits for it any more; what it
   * still gives is adopted, unless a newer refresh's token is current by then.
   */
  const start = (reason: BoxAuthRefreshReason, rejectedToken?: string): Promise<Fetched> => {
    const generation = ++started;
    const begun = clock();
    const controller = new AbortController();
    const context: BoxAuthRefreshContext = { reason, rejectedToken, refreshToken, signal: controller.signal };
    const work = Promise.resolve().then(() => obtain(context, generation));
    work.then((token) => adopt(token, generation, reason), () => {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = new Promise<Fetched>((resolve, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new BoxAuthRefreshError({ reason, cause: undefined, timedOutAfterMs: refreshTimeoutMs, secrets: secrets() }));
      }, refreshTimeoutMs);
      work.then(resolve, (error: unknown) => reject(new BoxAuthRefreshError({ reason, cause: error, secrets: secrets() })));
    });
    const settled = outcome.then(
      (token) => {
        clearTimeout(timer);
        if (waiting === settled) waiting = undefined;
        notify({ reason, ok: true, durationMs: clock() - begun, expiresAt: token.expiresAt, fromStore: token.fromStore === true });
        return token;
      },
      (failure: BoxAuthRefreshError) => {
        clearTimeout(timer);
        if (waiting === settled) waiting = undefined;
        cooldown.failed(failure);
        notify({ reason, ok: false, durationMs: clock() - begun, error: failure });
        throw failure;
      },
    );
    // Nobody need be waiting: a background refresh, or callers cancelled meanwhile.
    settled.catch(() => {});
    waiting = settled;
    return settled;
  };

  /**
   * A new token: the refresh under way, else a new one, unless a failed one's cooldown runs. In a
   * cooldown, a token another process has put in the store since serves (reading it touches no
   * token endpoint); without one the call is refused at once.
   */
  const need = async (reason: BoxAuthRefreshReason, rejectedToken?: string): Promise<Fetched> => {
    if (waiting) return waiting;
    if (cooldown.leftMs() > 0) {
      const shared = store && (await quietly(() => store.readToken(key), undefined));
      if (shared && isNews(shared, rejectedToken)) {
        adopt({ expiresAt: undefined, ...shared, fromStore: true }, started, reason);
        return { expiresAt: undefined, ...shared, fromStore: true };
      }
      if (waiting) return waiting;
      const left = cooldown.leftMs();
      if (left > 0) {
        throw new BoxAuthRefreshError({ reason, cause: cooldown.last, coolingDownMs: Math.ceil(left), secrets: secrets() });
      }
    }
    return start(reason, rejectedToken);
  };

  /** Box answered 401 to `token`: when it is the current one, no call may send it again. */
  const refuse = (token: string): void => {
    const held = current;
    if (held?.token.accessToken !== token) return;
    if (held.streak !== undefined) {
      // Its refresh was no success after all: the failures in a row go on, and the cooldown doubles.
      const failure = new BoxAuthRefreshError({ reason: held.reason, cause: new Error('Box answered 401 to the new token at once'), secrets: secrets() });
      cooldown.failed(failure, held.streak);
    }
    current = undefined;
    refused = token;
  };

  /** Box answered `token` with anything but a 401: the refresh that gave it succeeded. */
  const accept = (token: string): void => {
    if (current?.token.accessToken === token) current.streak = undefined;
  };

  const auth: BoxAuth & { [AUTH_SECRETS]: () => string[]; [AUTHORIZE]: (config: InternalAxiosRequestConfig) => CallAuthorizer } = {
    origins,
    async token() {
      const held = current;
      const now = clock();
      if (held && now < held.validUntil) {
        if (now >= held.refreshFrom && !waiting && cooldown.leftMs() <= 0) void start('expiring');
        return held.token.accessToken;
      }
      const token = await (held ? need('expiring') : refused === undefined ? need('missing') : need('unauthorized', refused));
      return token.accessToken;
    },
    invalidate() {
      current = undefined;
      // The next refresh's reason is `missing`, as documented, even after a 401.
      refused = undefined;
    },
    async renew(rejectedToken) {
      refuse(rejectedToken);
      if (waiting) await waiting;
      else if (current === undefined) await need('unauthorized', refused ?? rejectedToken);
    },
    [AUTH_SECRETS]: secrets,
    [AUTHORIZE]: (config) => new CallAuth(auth, config, refuse, accept),
  };
  return auth;
}

import type { InternalAxiosRequestConfig } from 'axios';
import { BoxAuthRefreshError } from './auth-error.js';
import { AUTHORIZE } from './brand.js';
import { AUTH_SECRETS, CallAuth, type CallAuthorizer } from './call-auth.js';
import { heldToken, REFRESH_SECRETS, resolveAuthOptions, type HeldToken } from './auth-options.js';
import type { BoxAuth, BoxAuthOptions, BoxAuthRefreshContext, BoxAuthRefreshReason } from './auth-types.js';

/** How often a process that waits for another's refresh looks for its token in the store. */
const STORE_POLL_MS = 25;

/**
 * A managed Box access token for `attachBoxStatus(instance, { auth })`, one BoxAuth for as many
 * instances as act for the same user. Each attempt to one of its origins carries the current
 * token; a missing or expiring token is refreshed before a call; a 401 to the current token
 * refreshes it once, whatever the number of calls that meet it, and each is re-sent once.
 * Options are validated here: a bad value throws a TypeError that names it.
 */
export function createBoxAuth(options: BoxAuthOptions): BoxAuth {
  const resolved = resolveAuthOptions(options);
  const { refresh, origins, refreshBeforeExpiryMs, refreshTimeoutMs, onRefresh, store, key } = resolved;
  let current = resolved.initialToken;
  /** A token Box answered 401 to, forgotten at once: the next call must not send it. */
  let refused: string | undefined;
  /** The refresh callers wait for, until it settles or times out. */
  let pending: Promise<HeldToken> | undefined;
  /**
   * The refresh itself, until it settles, a timed-out one included: none is started beside it (a
   * refresh token is spent once), and its token, however late, becomes the current one.
   */
  let inFlight: Promise<HeldToken> | undefined;
  /** Every access token this BoxAuth has held: scrubbed from its errors. */
  const held = new Set<string>(current ? [current.accessToken] : []);
  const secrets = (): string[] => [
    ...held,
    ...(current?.refreshToken ? [current.refreshToken] : []),
    ...(refresh[REFRESH_SECRETS]?.() ?? []),
  ];
  const usable = (token: HeldToken | undefined): token is HeldToken =>
    token !== undefined && (token.expiresAt === undefined || token.expiresAt - Date.now() >= refreshBeforeExpiryMs);

  /** Refresh in this process, and keep the token where every process sharing the store finds it. */
  const refreshHere = async (context: BoxAuthRefreshContext): Promise<HeldToken> => {
    const token = heldToken(await refresh(context), 'the value refresh() resolved to');
    if (token.accessToken === context.rejectedToken) {
      throw new Error('axios-box-status: refresh() resolved to the very token Box had refused');
    }
    if (store) await store.writeToken(key, token);
    return token;
  };

  /**
   * A token newer than `rejectedToken`: without a store, refreshed here. With one, the store's
   * when another process has put a usable one there; else refreshed here under the store's lock;
   * else (another process holds the lock) the one that process puts there.
   */
  const obtain = async (context: BoxAuthRefreshContext): Promise<HeldToken & { fromStore?: boolean }> => {
    if (!store) return refreshHere(context);
    const stale = [context.rejectedToken, current?.accessToken];
    for (;;) {
      const shared = (await store.readToken(key)) as HeldToken | undefined;
      if (shared?.refreshToken) context.refreshToken = shared.refreshToken;
      if (usable(shared) && !stale.includes(shared.accessToken)) return { ...shared, fromStore: true };
      if (context.signal.aborted) throw context.signal.reason;
      if (await store.lockRefresh(key, refreshTimeoutMs)) {
        try {
          // The process that held the lock before may have written its token since the read above.
          const written = (await store.readToken(key)) as HeldToken | undefined;
          if (written?.refreshToken) context.refreshToken = written.refreshToken;
          if (usable(written) && !stale.includes(written.accessToken)) return { ...written, fromStore: true };
          return await refreshHere(context);
        } finally {
          await store.unlockRefresh(key);
        }
      }
      // Another process refreshes: its token will be in the store.
      await new Promise((resolve) => setTimeout(resolve, STORE_POLL_MS));
    }
  };

  /** The refresh itself: joined while one runs, started (and its token kept) otherwise. */
  const refreshing = (context: BoxAuthRefreshContext): Promise<HeldToken & { fromStore?: boolean }> => {
    if (inFlight) return inFlight;
    const started = obtain(context).then((token) => {
      current = token;
      refused = undefined;
      held.add(token.accessToken);
      return token;
    });
    inFlight = started;
    started.then(
      () => void (inFlight = undefined),
      () => void (inFlight = undefined),
    );
    return started;
  };

  const notify = (event: Parameters<NonNullable<BoxAuthOptions['onRefresh']>>[0]): void => {
    try {
      onRefresh?.(event);
    } catch {
      // A listener's failure is its own: the refresh stands.
    }
  };

  /** What callers wait for: the refresh, bounded by refreshTimeoutMs. */
  const run = (reason: BoxAuthRefreshReason, rejectedToken?: string): Promise<HeldToken> => {
    if (pending) return pending;
    const started = Date.now();
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new BoxAuthRefreshError({ reason, cause: undefined, timedOutAfterMs: refreshTimeoutMs, secrets: secrets() }));
        controller.abort();
      }, refreshTimeoutMs);
    });
    const context: BoxAuthRefreshContext = { reason, rejectedToken, refreshToken: current?.refreshToken, signal: controller.signal };
    const attempt = Promise.resolve().then(() => refreshing(context));
    const waited = Promise.race([attempt, timedOut]).then(
      (token) => {
        notify({ reason, ok: true, durationMs: Date.now() - started, expiresAt: token.expiresAt, fromStore: token.fromStore === true });
        return current ?? token;
      },
      (error: unknown) => {
        const failure =
          error instanceof BoxAuthRefreshError ? error : new BoxAuthRefreshError({ reason, cause: error, secrets: secrets() });
        notify({ reason, ok: false, durationMs: Date.now() - started, error: failure });
        throw failure;
      },
    );
    // Nobody need be waiting for either: whoever started it may have been cancelled meanwhile.
    attempt.catch(() => {});
    waited
      .finally(() => {
        clearTimeout(timer);
        if (pending === waited) pending = undefined;
      })
      .catch(() => {});
    pending = waited;
    return waited;
  };

  /** Box answered 401 to `token`: when it is the current one, no call may send it again. */
  const refuse = (token: string): void => {
    if (current?.accessToken !== token) return;
    current = undefined;
    refused = token;
  };

  const auth: BoxAuth & { [AUTH_SECRETS]: () => string[]; [AUTHORIZE]: (config: InternalAxiosRequestConfig) => CallAuthorizer } = {
    origins,
    async token() {
      const token =
        pending !== undefined
          ? await pending
          : current === undefined
            ? await (refused === undefined ? run('missing') : run('unauthorized', refused))
            : current.expiresAt !== undefined && current.expiresAt - Date.now() < refreshBeforeExpiryMs
              ? await run('expiring')
              : current;
      return token.accessToken;
    },
    invalidate() {
      current = undefined;
    },
    async renew(rejectedToken) {
      refuse(rejectedToken);
      if (pending !== undefined) await pending;
      else if (current === undefined) await run('unauthorized', rejectedToken);
    },
    [AUTH_SECRETS]: secrets,
    [AUTHORIZE]: (config) => new CallAuth(auth, config, refuse),
  };
  return auth;
}

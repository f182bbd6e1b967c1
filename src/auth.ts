import type { InternalAxiosRequestConfig } from 'axios';
import { BoxAuthRefreshError } from './auth-error.js';
import { AUTHORIZE } from './brand.js';
import { AUTH_SECRETS, CallAuth, type CallAuthorizer } from './call-auth.js';
import type { BoxAuth, BoxAuthOptions, BoxAuthRefreshReason, BoxToken } from './auth-types.js';
import { aFunction, fail, isRecord, layOver, milliseconds, type Rule } from './rules.js';

/**
 * A refresh function may carry the credentials it holds (a grant's client secret and refresh
 * token) under this key, as a function that lists them: the BoxAuth scrubs them from its errors.
 */
export const REFRESH_SECRETS: unique symbol = Symbol.for('axios-box-status.refresh-secrets') as never;

type RefreshFunction = BoxAuthOptions['refresh'] & { [REFRESH_SECRETS]?: () => readonly string[] };

/** A token as the BoxAuth holds it: the expiry made absolute. */
interface HeldToken {
  readonly accessToken: string;
  readonly expiresAt: number | undefined;
}

const TOKEN_SHAPE = 'an access token (a non-empty string) or { accessToken, expiresAt? | expiresIn? }';

/** A token as given (a string, or a BoxToken), validated, its expiry made absolute. */
function heldToken(value: unknown, name: string, now = Date.now()): HeldToken {
  if (typeof value === 'string' && value !== '') return { accessToken: value, expiresAt: undefined };
  if (!isRecord(value) || typeof value['accessToken'] !== 'string' || value['accessToken'] === '') {
    return fail(name, TOKEN_SHAPE, value);
  }
  const { accessToken, expiresAt, expiresIn } = value as Partial<Record<keyof BoxToken, unknown>> & { accessToken: string };
  if (expiresAt !== undefined) {
    if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) fail(`${name}.expiresAt`, 'epoch milliseconds', expiresAt);
    return { accessToken, expiresAt };
  }
  if (expiresIn !== undefined) {
    if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn < 0) {
      fail(`${name}.expiresIn`, 'a number of seconds from 0', expiresIn);
    }
    return { accessToken, expiresAt: now + expiresIn * 1000 };
  }
  return { accessToken, expiresAt: undefined };
}

/** An origin as the BoxAuth compares it: `https://api.box.com`. */
function normalOrigin(value: unknown, name: string): string {
  try {
    const url = new URL(String(value));
    if (typeof value === 'string' && (url.protocol === 'https:' || url.protocol === 'http:')) return url.origin;
  } catch {
    // Not a URL: refused below.
  }
  return fail(name, 'an http(s) origin such as https://api.box.com', value);
}

const ORIGINS: Rule = (value, name) => {
  if (!Array.isArray(value) || value.length === 0) fail(name, 'a non-empty array of origins', value);
  return Object.freeze((value as unknown[]).map((origin, index) => normalOrigin(origin, `${name}[${index}]`)));
};

interface ResolvedAuthOptions {
  readonly refresh: RefreshFunction;
  readonly initialToken: HeldToken | undefined;
  readonly origins: readonly string[];
  readonly refreshBeforeExpiryMs: number;
  readonly refreshTimeoutMs: number;
  readonly onRefresh: BoxAuthOptions['onRefresh'];
}

const AUTH_DEFAULTS: ResolvedAuthOptions = Object.freeze({
  refresh: undefined as never,
  initialToken: undefined,
  origins: Object.freeze(['https://api.box.com', 'https://upload.box.com']),
  refreshBeforeExpiryMs: 180_000,
  refreshTimeoutMs: 30_000,
  onRefresh: undefined,
});

const AUTH_RULES: { readonly [K in keyof BoxAuthOptions]-?: Rule } = {
  refresh: aFunction,
  initialToken: (value, name) => heldToken(value, name),
  origins: ORIGINS,
  refreshBeforeExpiryMs: milliseconds(0),
  refreshTimeoutMs: milliseconds(1),
  onRefresh: aFunction,
};

/**
 * A managed Box access token for `attachBoxStatus(instance, { auth })`, one BoxAuth for as many
 * instances as act for the same user. Each attempt to one of its origins carries the current
 * token; a missing or expiring token is refreshed before a call; a 401 to the current token
 * refreshes it once, whatever the number of calls that meet it, and each is re-sent once.
 * Options are validated here: a bad value throws a TypeError that names it.
 */
export function createBoxAuth(options: BoxAuthOptions): BoxAuth {
  const resolved = layOver(options, AUTH_DEFAULTS, AUTH_RULES, 'createBoxAuth', undefined, 'an object');
  if (resolved.refresh === undefined) fail('createBoxAuth.refresh', 'a function', undefined);
  const { refresh, origins, refreshBeforeExpiryMs, refreshTimeoutMs, onRefresh } = resolved;
  let current = resolved.initialToken;
  /** The refresh under way, which every caller that needs a token meanwhile waits for. */
  let pending: Promise<HeldToken> | undefined;
  /** Every access token this BoxAuth has held: scrubbed from its errors. */
  const held = new Set<string>(current ? [current.accessToken] : []);
  const secrets = (): string[] => [...held, ...(refresh[REFRESH_SECRETS]?.() ?? [])];

  const notify = (event: Parameters<NonNullable<BoxAuthOptions['onRefresh']>>[0]): void => {
    try {
      onRefresh?.(event);
    } catch {
      // A listener's failure is its own: the refresh stands.
    }
  };

  /** Start a refresh, or join the one under way. */
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
    const attempt = Promise.resolve()
      .then(() => refresh({ reason, rejectedToken, signal: controller.signal }))
      .then((value) => heldToken(value, 'the value refresh() resolved to'));
    const refreshed = Promise.race([attempt, timedOut]).then(
      (token) => {
        current = token;
        held.add(token.accessToken);
        notify({ reason, ok: true, durationMs: Date.now() - started, expiresAt: token.expiresAt });
        return token;
      },
      (error: unknown) => {
        const failure =
          error instanceof BoxAuthRefreshError ? error : new BoxAuthRefreshError({ reason, cause: error, secrets: secrets() });
        notify({ reason, ok: false, durationMs: Date.now() - started, error: failure });
        throw failure;
      },
    );
    // Whoever started it may have been cancelled meanwhile: nobody need be waiting for it.
    attempt.catch(() => {});
    refreshed
      .finally(() => {
        clearTimeout(timer);
        if (pending === refreshed) pending = undefined;
      })
      .catch(() => {});
    pending = refreshed;
    return refreshed;
  };

  const auth: BoxAuth & { [AUTH_SECRETS]: () => string[]; [AUTHORIZE]: (config: InternalAxiosRequestConfig) => CallAuthorizer } = {
    origins,
    async token() {
      const token =
        pending !== undefined
          ? await pending
          : current === undefined
            ? await run('missing')
            : current.expiresAt !== undefined && current.expiresAt - Date.now() < refreshBeforeExpiryMs
              ? await run('expiring')
              : current;
      return token.accessToken;
    },
    invalidate() {
      current = undefined;
    },
    async renew(rejectedToken) {
      if (pending !== undefined) {
        await pending;
      } else if (current === undefined || current.accessToken === rejectedToken) {
        // Box refused it: no call may send it again, whether or not the refresh succeeds.
        current = undefined;
        await run('unauthorized', rejectedToken);
      }
    },
    [AUTH_SECRETS]: secrets,
    [AUTHORIZE]: (config) => new CallAuth(auth, config),
  };
  return auth;
}

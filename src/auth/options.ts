import type { BoxAuthOptions, BoxToken } from './types.js';
import { MAX_REFRESH_COOLDOWN_MS } from './timing.js';
import { aFunction, aTokenStore, aString, fail, isRecord, layOver, milliseconds, type Rule } from '../options/rules.js';
import type { BoxTokenStore } from '../store/token-store-types.js';

/**
 * A refresh function may carry the credentials it holds (a grant's client secret and refresh
 * token) under this key, as a function that lists them: the BoxAuth scrubs them from its errors.
 */
export const REFRESH_SECRETS: unique symbol = Symbol.for('axios-box-status.refresh-secrets') as never;

export type RefreshFunction = BoxAuthOptions['refresh'] & { [REFRESH_SECRETS]?: () => readonly string[] };

/** A token as the BoxAuth holds it: the expiry made absolute. */
export interface HeldToken {
  readonly accessToken: string;
  readonly expiresAt: number | undefined;
  readonly refreshToken?: string | undefined;
  /** When it was issued (epoch ms), when known: with `expiresAt`, its lifetime. */
  readonly issuedAt?: number | undefined;
}

const TOKEN_SHAPE = 'an access token (a non-empty string) or { accessToken, expiresAt? | expiresIn? }';

/** A token as given (a string, or a BoxToken), validated, its expiry made absolute. */
export function heldToken(value: unknown, name: string, now = Date.now()): HeldToken {
  if (typeof value === 'string' && value !== '') return { accessToken: value, expiresAt: undefined };
  if (!isRecord(value) || typeof value['accessToken'] !== 'string' || value['accessToken'] === '') {
    return fail(name, TOKEN_SHAPE, value);
  }
  const { accessToken, expiresAt, expiresIn, refreshToken } = value as Partial<Record<keyof BoxToken, unknown>> & {
    accessToken: string;
  };
  if (refreshToken !== undefined && (typeof refreshToken !== 'string' || refreshToken === '')) {
    fail(`${name}.refreshToken`, 'a non-empty string', refreshToken);
  }
  const kept = refreshToken === undefined ? { accessToken } : { accessToken, refreshToken: refreshToken as string };
  if (expiresAt !== undefined) {
    if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) fail(`${name}.expiresAt`, 'epoch milliseconds', expiresAt);
    return { ...kept, expiresAt };
  }
  if (expiresIn !== undefined) {
    if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn < 0) {
      fail(`${name}.expiresIn`, 'a number of seconds from 0', expiresIn);
    }
    return { ...kept, expiresAt: now + expiresIn * 1000, issuedAt: now };
  }
  return { ...kept, expiresAt: undefined };
}

const LOOPBACK: ReadonlySet<string> = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * A URL a credential may be sent to: `https:`, or `http:` on a loopback host (a local test
 * server, a sidecar): a Bearer token or a client secret never goes out in clear.
 */
export function secureUrl(value: unknown, name: string, what: string): URL {
  try {
    const url = new URL(String(value));
    if (typeof value === 'string' && (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname)))) {
      return url;
    }
  } catch {
    // Not a URL: refused below.
  }
  return fail(name, `an https: ${what} (http: only on 127.0.0.1, [::1] or localhost)`, value);
}

const ORIGINS: Rule = (value, name) => {
  if (!Array.isArray(value) || value.length === 0) fail(name, 'a non-empty array of origins', value);
  return Object.freeze(
    (value as unknown[]).map((origin, index) => secureUrl(origin, `${name}[${index}]`, 'origin such as https://api.box.com').origin),
  );
};

export interface ResolvedAuthOptions {
  readonly refresh: RefreshFunction;
  readonly initialToken: HeldToken | undefined;
  readonly origins: readonly string[];
  readonly refreshBeforeExpiryMs: number;
  readonly refreshTimeoutMs: number;
  readonly refreshCooldownMs: number;
  readonly onRefresh: BoxAuthOptions['onRefresh'];
  /** The store the token is shared through, with the key it is kept under: none, or both. */
  readonly shared: { readonly store: BoxTokenStore; readonly key: string } | undefined;
}

const AUTH_DEFAULTS = Object.freeze({
  refresh: undefined as never,
  initialToken: undefined,
  origins: Object.freeze(['https://api.box.com', 'https://upload.box.com']),
  refreshBeforeExpiryMs: 180_000,
  refreshTimeoutMs: 30_000,
  refreshCooldownMs: 1000,
  onRefresh: undefined,
  store: undefined,
  key: undefined,
});

const AUTH_RULES: { readonly [K in keyof BoxAuthOptions]-?: Rule } = {
  refresh: aFunction,
  initialToken: (value, name) => heldToken(value, name),
  origins: ORIGINS,
  refreshBeforeExpiryMs: milliseconds(0),
  refreshTimeoutMs: milliseconds(1),
  refreshCooldownMs: milliseconds(0, MAX_REFRESH_COOLDOWN_MS),
  onRefresh: aFunction,
  store: aTokenStore,
  key: aString,
};

/** createBoxAuth's options, validated (a TypeError that names a bad one) and laid over the defaults. */
export function resolveAuthOptions(options: BoxAuthOptions): ResolvedAuthOptions {
  const { store, key, ...resolved } = layOver<Omit<ResolvedAuthOptions, 'shared'> & { store: BoxTokenStore | undefined; key: string | undefined }, undefined>(
    options,
    AUTH_DEFAULTS,
    AUTH_RULES,
    'createBoxAuth',
    undefined,
    'an object',
  );
  if (resolved.refresh === undefined) fail('createBoxAuth.refresh', 'a function', undefined);
  if (store === undefined) return { ...resolved, shared: undefined };
  if (key === undefined) fail('createBoxAuth.key', "set whenever store is: whose token it is (each Box user or app its own key)", undefined);
  return { ...resolved, shared: { store, key } };
}

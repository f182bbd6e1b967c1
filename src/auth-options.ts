import type { BoxAuthOptions, BoxToken } from './auth-types.js';
import { aFunction, aStore, aString, fail, isRecord, layOver, milliseconds, type Rule } from './rules.js';
import type { BoxStateStore } from './store-types.js';

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
    return { ...kept, expiresAt: now + expiresIn * 1000 };
  }
  return { ...kept, expiresAt: undefined };
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

export interface ResolvedAuthOptions {
  readonly refresh: RefreshFunction;
  readonly initialToken: HeldToken | undefined;
  readonly origins: readonly string[];
  readonly refreshBeforeExpiryMs: number;
  readonly refreshTimeoutMs: number;
  readonly onRefresh: BoxAuthOptions['onRefresh'];
  readonly store: BoxStateStore | undefined;
  readonly key: string;
}

const AUTH_DEFAULTS: ResolvedAuthOptions = Object.freeze({
  refresh: undefined as never,
  initialToken: undefined,
  origins: Object.freeze(['https://api.box.com', 'https://upload.box.com']),
  refreshBeforeExpiryMs: 180_000,
  refreshTimeoutMs: 30_000,
  onRefresh: undefined,
  store: undefined,
  key: 'default',
});

const AUTH_RULES: { readonly [K in keyof BoxAuthOptions]-?: Rule } = {
  refresh: aFunction,
  initialToken: (value, name) => heldToken(value, name),
  origins: ORIGINS,
  refreshBeforeExpiryMs: milliseconds(0),
  refreshTimeoutMs: milliseconds(1),
  onRefresh: aFunction,
  store: aStore,
  key: aString,
};

/** createBoxAuth's options, validated (a TypeError that names a bad one) and laid over the defaults. */
export function resolveAuthOptions(options: BoxAuthOptions): ResolvedAuthOptions {
  const resolved = layOver(options, AUTH_DEFAULTS, AUTH_RULES, 'createBoxAuth', undefined, 'an object');
  if (resolved.refresh === undefined) fail('createBoxAuth.refresh', 'a function', undefined);
  return resolved;
}

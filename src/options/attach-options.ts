import type { InternalAxiosRequestConfig } from 'axios';
import { AUTHORIZE, type AuthorizingBoxAuth } from '../auth/authorizer.js';
import { resolveRateLimit, type PacedRule } from '../pacing/rate-limits.js';
import type { BoxPacingStore } from '../store/store-types.js';
import type { BoxStatusOptions } from '../types.js';
import { DEFAULT_POLICY, resolvePolicy, type ResolvedPolicy } from './policy.js';
import { aFunction, aPacingStore, checkKeys, fail, isRecord, type Rule } from './rules.js';

/** The options of `attachBoxStatus`, validated. */
export interface ResolvedOptions {
  /** The instance's retry policy, or `false` to send every request once. */
  readonly retry: ResolvedPolicy | false;
  readonly auth: AuthorizingBoxAuth | undefined;
  /** The store given; undefined for one of the attachment's own. */
  readonly store: BoxPacingStore | undefined;
  readonly scope: ((config: InternalAxiosRequestConfig) => string) | undefined;
  readonly rateLimit: readonly PacedRule[];
}

/** A BoxAuth made by createBoxAuth (of any copy of the package): the call loop needs its helper. */
const anAuth: Rule = (value, name) =>
  typeof (value as Partial<AuthorizingBoxAuth> | null)?.[AUTHORIZE] === 'function'
    ? value
    : fail(name, 'a BoxAuth made by createBoxAuth()', value);

const OPTION_RULES: { readonly [K in keyof BoxStatusOptions]-?: Rule } = {
  retry: (value) => (value === false ? false : resolvePolicy(value, DEFAULT_POLICY, 'retry')),
  auth: anAuth,
  store: aPacingStore,
  scope: aFunction,
  rateLimit: (value, name) => resolveRateLimit(value, name),
};

const DEFAULT_OPTIONS: ResolvedOptions = Object.freeze({
  retry: DEFAULT_POLICY,
  auth: undefined,
  store: undefined,
  scope: undefined,
  rateLimit: Object.freeze([]),
});

/** Validate the options of `attachBoxStatus`, once, at attach. */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === undefined) return DEFAULT_OPTIONS;
  if (!isRecord(options)) fail('options', 'an object', options);
  checkKeys(options, OPTION_RULES, '');
  const out: Record<string, unknown> = { ...DEFAULT_OPTIONS };
  for (const key in OPTION_RULES) {
    const value = options[key];
    if (value !== undefined) out[key] = OPTION_RULES[key as keyof BoxStatusOptions](value, key, undefined);
  }
  return out as unknown as ResolvedOptions;
}

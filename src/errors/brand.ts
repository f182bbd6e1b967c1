/**
 * The brand every Box error carries on its prototype. `Symbol.for` makes it one symbol across an
 * ESM and a CJS copy of this package in one process, where `instanceof` would fail.
 */
export const BOX_ERROR_BRAND: unique symbol = Symbol.for('axios-box-status.error') as never;

export type BoxErrorBrand = 'api' | 'client' | 'rate-limit' | 'server' | 'auth-refresh';

/** The brand of a value, or undefined for anything that is not a Box error. */
export function brandOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null
    ? (value as { [BOX_ERROR_BRAND]?: unknown })[BOX_ERROR_BRAND]
    : undefined;
}

/**
 * Where a BoxAuth made by createBoxAuth keeps the maker of its per-call helper. The call loop asks
 * for it only when the instance has an auth, so an app without one bundles none of that code.
 * `Symbol.for`: an auth from one copy of the package serves an instance attached by another.
 */
export const AUTHORIZE: unique symbol = Symbol.for('axios-box-status.authorize') as never;

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

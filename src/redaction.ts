import type { AxiosError } from 'axios';
import { BOX_ERROR_BRAND } from './brand.js';
import { redactedRequestUrl, scrub, scrubDeep } from './secrets.js';
import type { BoxPlainErrorFields } from './types.js';

/** What `JSON.stringify(error)` and `error.toJSON()` give: no config, headers or body. */
export interface BoxErrorJSON {
  name: string;
  message: string;
  code: string | undefined;
  status: number | undefined;
  method: string | undefined;
  /** The request URL with credential-like query values redacted. */
  url: string | undefined;
  stack: string | undefined;
  [field: string]: unknown;
}

type ErrorLike = Partial<AxiosError> & Error & Record<string, unknown>;

/**
 * Keep `config`, `request` and `response` readable but out of enumeration: a logger that copies
 * an error's own fields (pino's `err` serializer, `{ ...error }`) would copy the config, and the
 * Authorization header with it.
 */
export function hideRequestFields(error: object): void {
  for (const key of ['config', 'request', 'response']) {
    const field = Object.getOwnPropertyDescriptor(error, key);
    if (field?.enumerable) Object.defineProperty(error, key, { ...field, enumerable: false });
  }
}

/** The redacted JSON of an error that passed through the plugin. */
export function errorToJSON(error: ErrorLike, extra: Record<string, unknown>): BoxErrorJSON {
  const config = error.config;
  return {
    name: error.name,
    message: error.message,
    code: error.code,
    status: typeof error.status === 'number' ? error.status : undefined,
    method: typeof config?.method === 'string' ? config.method.toUpperCase() : undefined,
    url: redactedRequestUrl(config),
    ...extra,
    stack: error.stack,
  };
}

// Node's console.log and util.inspect look for this symbol (no import: the library runs in
// browsers too). Without it they print config, request and response, the Authorization header
// and the raw socket with them.
export const INSPECT = Symbol.for('nodejs.util.inspect.custom');

type Inspect = (value: unknown, options: object) => string;

/** What `util.inspect(error)` prints: the stack, then the redacted JSON fields. */
export function inspectRedacted(
  this: { toJSON(): BoxErrorJSON },
  _depth: number,
  options: object,
  inspect?: Inspect,
): string {
  const { name, message, stack, ...fields } = this.toJSON();
  const shown = inspect ? inspect(fields, options) : JSON.stringify(fields);
  return `${stack ?? `${name}: ${message}`} ${shown}`;
}

export function isAxiosErrorLike(error: unknown): error is AxiosError & BoxPlainErrorFields {
  return error instanceof Error && (error as Partial<AxiosError>).isAxiosError === true;
}

/**
 * Give a plain AxiosError a redacted `toJSON` in place of axios's, which serialises the config
 * with its headers and body, and the same redacted view for `util.inspect`. Box errors and
 * errors already redacted are left as they are.
 */
export function redactPlainError(error: unknown): unknown {
  // Not "has an own toJSON": axios 1.7's AxiosError.from copies axios's own onto the error it makes.
  const redacted = (error as { [INSPECT]?: unknown } | undefined)?.[INSPECT] === inspectRedacted;
  if (!isAxiosErrorLike(error) || BOX_ERROR_BRAND in error || redacted) {
    return error;
  }
  Object.defineProperty(error, 'toJSON', {
    value: () =>
      errorToJSON(error as unknown as ErrorLike, {
        boxAttempts: error.boxAttempts,
        boxNotRetriedReason: error.boxNotRetriedReason,
      }),
    writable: true,
    configurable: true,
  });
  Object.defineProperty(error, INSPECT, { value: inspectRedacted, writable: true, configurable: true });
  hideRequestFields(error);
  // A deadline's cut attempt, or a wrapped rejection: an axios error with the same config.
  redactPlainError((error as { cause?: unknown }).cause);
  return error;
}

// An axios error's own request fields: axios's, never replaced (see hideRequestFields).
const REQUEST_FIELDS: ReadonlySet<string> = new Set(['config', 'request', 'response', 'cause']);

/** Whether any string inside `value` (plain objects and arrays, to a bounded depth) holds a secret. */
function holdsSecret(value: unknown, secrets: readonly string[], depth = 0): boolean {
  if (typeof value === 'string') return secrets.some((secret) => value.includes(secret));
  if (typeof value !== 'object' || value === null || depth >= 16) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null && !Array.isArray(value)) return false;
  return Object.values(value).some((item) => holdsSecret(item, secrets, depth + 1));
}

/**
 * Scrub the secrets from the text of an error and of the errors on its cause chain: a URL that
 * cannot be parsed is copied whole into the message (undici, and axios's fetch adapter after it)
 * or into an `input` field (Node's TypeError, which the http adapter rejects with as it is); data
 * a caller's code attached (`details: { token }`) is replaced by a scrubbed copy.
 */
export function scrubErrorChain(error: unknown, secrets: readonly string[]): void {
  let current = error as Record<string, unknown> | undefined;
  for (let depth = 0; current instanceof Error && depth < 4; depth += 1) {
    for (const key of ['message', 'stack', ...Object.keys(current)]) {
      const value = current[key];
      try {
        if (typeof value === 'string') current[key] = scrub(value, secrets);
        else if (!REQUEST_FIELDS.has(key) && holdsSecret(value, secrets)) current[key] = scrubDeep(value, secrets);
      } catch {
        // A read-only field stays as it is.
      }
    }
    current = current.cause as Record<string, unknown> | undefined;
  }
}

/**
 * What a caller's callback threw (a refresh function, say), fit to be shown as a `cause`: an
 * Error is scrubbed in place and redacted; a string is scrubbed; any other value becomes a
 * scrubbed copy, since what cannot be changed in place cannot be shown as it is.
 */
export function redactThrown(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrub(value, secrets);
  if (value instanceof Error) {
    scrubErrorChain(value, secrets);
    return redactPlainError(value);
  }
  return holdsSecret(value, secrets) ? scrubDeep(value, secrets) : value;
}

import type { AxiosError } from 'axios';
import { BOX_ERROR_BRAND } from './brand.js';
import { redactedRequestUrl } from './secrets.js';
import type { BoxPlainErrorFields } from '../types.js';

/**
 * What `JSON.stringify(error)` and `error.toJSON()` give for an error that passed through the
 * plugin: no config, headers or body, credential-like URL query values redacted, and the Box
 * fields (`boxCode`, `requestId`... or `boxAttempts` on a plain axios error).
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, isBoxApiError, type BoxErrorJSON } from 'axios-box-status';
 *
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box);
 * await box.get('/files/12345').catch((error: unknown) => {
 *   if (!isBoxApiError(error)) throw error;
 *   const logged: BoxErrorJSON = error.toJSON();
 *   console.log(logged.status, logged.url, logged['boxCode']);
 * });
 * ```
 */
export interface BoxErrorJSON {
  /** The error class's name (`BoxClientError`, `AxiosError`...). */
  name: string;
  /** The message, credentials redacted. */
  message: string;
  /** axios's `code` (`ERR_BAD_REQUEST`, `ECONNRESET`...). */
  code: string | undefined;
  /** The HTTP status, when there was a response. */
  status: number | undefined;
  /** The request's method, upper case. */
  method: string | undefined;
  /** The request URL with credential-like query values redacted. */
  url: string | undefined;
  /** The stack, credentials redacted. */
  stack: string | undefined;
  /** The Box fields of the error. */
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

import { AxiosError } from 'axios';
import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { parseBoxErrorBody } from './body.js';
import { classifyStatus } from './classify.js';
import { BOX_ERROR_BRAND, type BoxErrorBrand } from './guards.js';
import { getHeader, getHeaderString } from './headers.js';
import { collectSecrets, redactedRequestUrl, scrub, scrubDeep, scrubOptional } from './redact.js';
import { parseRetryAfter } from './retry-after.js';
import type { BoxPlainErrorFields, BoxStatus } from './types.js';

/** The `name` of each Box error class. */
export type BoxErrorName = 'BoxApiError' | 'BoxClientError' | 'BoxRateLimitError' | 'BoxServerError';

/** What a Box error is built from. */
export interface BoxApiErrorInit<T = unknown, D = any> {
  /** The final response; its `config` is the request's. */
  response: AxiosResponse<T, D>;
  /** Requests sent for the call. @default 1 */
  attempts?: number | undefined;
  /** Whether the retry policy treats the status as retryable. @default false */
  retryable?: boolean | undefined;
  /** Why a retryable failure was not retried, added to the message. @default undefined */
  notRetriedReason?: string | undefined;
  /** The original error. @default an AxiosError as axios would have rejected with */
  cause?: unknown;
  /**
   * The body to read Box's fields from, when `response.data` is a stream that has been read
   * (a download answered with an error). @default response.data
   */
  body?: unknown;
}

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

const MAX_MESSAGE_CHARS = 500;

/**
 * Keep `config`, `request` and `response` readable but out of enumeration: a logger that copies
 * an error's own fields (pino's `err` serializer, `{ ...error }`) would copy the config, and the
 * Authorization header with it.
 */
function hideRequestFields(error: object): void {
  for (const key of ['config', 'request', 'response']) {
    const field = Object.getOwnPropertyDescriptor(error, key);
    if (field?.enumerable) Object.defineProperty(error, key, { ...field, enumerable: false });
  }
}

function kindText(status: number): string {
  return classifyStatus(status).replace('-', ' ');
}

function axiosCode(status: number): string {
  return status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST;
}

/**
 * A response the plugin rejects: a 4xx ({@link BoxClientError}), a 5xx ({@link BoxServerError}),
 * or a status outside Box's table that the request's `validateStatus` refused. An `AxiosError`,
 * so `axios.isAxiosError` and existing catch blocks keep working; `code` stays axios's own.
 */
export class BoxApiError<T = unknown, D = any> extends AxiosError<T, D> {
  declare name: BoxErrorName;
  /** HTTP status of the final response. */
  declare status: number;
  declare response: AxiosResponse<T, D>;
  declare config: InternalAxiosRequestConfig<D>;
  declare toJSON: () => BoxErrorJSON;
  declare readonly [BOX_ERROR_BRAND]: BoxErrorBrand;
  /** Box's error code (`item_name_in_use`, `invalid_grant`...), an open set. */
  boxCode: string | undefined;
  /** Box's error message (or the OAuth2 `error_description`). */
  boxMessage: string | undefined;
  /** Box's request id: the body's `request_id`, else the `box-request-id` header. */
  requestId: string | undefined;
  /** Box's `help_url`. */
  helpUrl: string | undefined;
  /** Box's `context_info` (on upload 409s, `conflicts`). */
  contextInfo: Record<string, unknown> | undefined;
  /** The response's Retry-After in milliseconds. */
  retryAfterMs: number | undefined;
  /** Requests sent for the call. */
  attempts: number;
  /** Why a retryable failure was not retried (`the request body is a one-shot stream`...). */
  notRetriedReason: string | undefined;
  /** The same record that successful responses carry as `response.boxStatus`. */
  boxStatus: BoxStatus;

  constructor(init: BoxApiErrorInit<T, D>) {
    const { response } = init;
    const status = response.status;
    const attempts = init.attempts ?? 1;
    const secrets = collectSecrets(response.config);
    const body = parseBoxErrorBody(init.body ?? response.data);
    const boxCode = scrubOptional(body.code, secrets);
    const boxMessage = scrubOptional(body.message, secrets);
    const requestId = scrubOptional(
      body.requestId ?? getHeaderString(response.headers, 'box-request-id'),
      secrets,
    );
    const notRetriedReason = init.notRetriedReason;

    let message = `Box API ${status}${boxCode ? ` ${boxCode}` : ''}: `;
    const detail = boxMessage ?? (response.statusText || kindText(status));
    message += detail.length > MAX_MESSAGE_CHARS ? `${detail.slice(0, MAX_MESSAGE_CHARS)}...` : detail;
    if (requestId) message += ` (request ${requestId})`;
    if (attempts > 1) message += ` after ${attempts} attempts`;
    if (notRetriedReason) message += `; not retried: ${notRetriedReason}`;

    super(scrub(message, secrets), axiosCode(status), response.config, response.request, response);
    hideRequestFields(this);
    this.name = new.target.prototype.name;
    this.status = status;
    this.boxCode = boxCode;
    this.boxMessage = boxMessage;
    this.requestId = requestId;
    this.helpUrl = scrubOptional(body.helpUrl, secrets);
    this.contextInfo = scrubDeep(body.contextInfo, secrets) as Record<string, unknown> | undefined;
    this.retryAfterMs = parseRetryAfter(getHeader(response.headers, 'retry-after'));
    this.attempts = attempts;
    this.notRetriedReason = notRetriedReason;
    this.boxStatus = {
      status,
      kind: classifyStatus(status),
      retryable: init.retryable ?? false,
      attempts,
      requestId,
      retryAfterMs: this.retryAfterMs,
      notRetriedReason,
    };
    const cause =
      init.cause ??
      new AxiosError(
        `Request failed with status code ${status}`,
        axiosCode(status),
        response.config,
        response.request,
        response,
      );
    // Non-enumerable as on native errors: the cause holds sockets and the raw config.
    // Redacted too: it is axios's own rejection, whose toJSON and inspection show the config.
    Object.defineProperty(this, 'cause', { value: redactPlainError(cause), writable: true, configurable: true });
  }
}

/** A 4xx: the request was wrong, unauthorised or impossible. Retrying as is will not help. */
export class BoxClientError<T = unknown, D = any> extends BoxApiError<T, D> {
  declare name: 'BoxClientError' | 'BoxRateLimitError';
}

/** A 429 that was not (or no longer) retried: `retryAfterMs` says when Box will take it. */
export class BoxRateLimitError<T = unknown, D = any> extends BoxClientError<T, D> {
  declare name: 'BoxRateLimitError';
}

/** A 5xx that was not (or no longer) retried. */
export class BoxServerError<T = unknown, D = any> extends BoxApiError<T, D> {
  declare name: 'BoxServerError';
}

function brand(cls: { prototype: object }, name: BoxErrorName, value: BoxErrorBrand): void {
  // On the prototype, so the stack's first line already reads "BoxClientError: ...".
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
  Object.defineProperty(cls.prototype, BOX_ERROR_BRAND, { value });
}
brand(BoxApiError, 'BoxApiError', 'api');
brand(BoxClientError, 'BoxClientError', 'client');
brand(BoxRateLimitError, 'BoxRateLimitError', 'rate-limit');
brand(BoxServerError, 'BoxServerError', 'server');

type ErrorLike = Partial<AxiosError> & Error & Record<string, unknown>;

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
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

type Inspect = (value: unknown, options: object) => string;

/** What `util.inspect(error)` prints: the stack, then the redacted JSON fields. */
function inspectRedacted(this: { toJSON(): BoxErrorJSON }, _depth: number, options: object, inspect?: Inspect): string {
  const { name, message, stack, ...fields } = this.toJSON();
  const shown = inspect ? inspect(fields, options) : JSON.stringify(fields);
  return `${stack ?? `${name}: ${message}`} ${shown}`;
}

Object.defineProperty(BoxApiError.prototype, INSPECT, { value: inspectRedacted, writable: true, configurable: true });

BoxApiError.prototype.toJSON = function toJSON(this: BoxApiError): BoxErrorJSON {
  return errorToJSON(this as unknown as ErrorLike, {
    boxCode: this.boxCode,
    boxMessage: this.boxMessage,
    requestId: this.requestId,
    helpUrl: this.helpUrl,
    contextInfo: this.contextInfo,
    retryAfterMs: this.retryAfterMs,
    attempts: this.attempts,
    notRetriedReason: this.notRetriedReason,
    boxStatus: this.boxStatus,
  });
};

/** The Box error class for a status. */
export function boxErrorClass(status: number): typeof BoxApiError {
  if (status === 429) return BoxRateLimitError;
  if (status >= 400 && status <= 499) return BoxClientError;
  if (status >= 500 && status <= 599) return BoxServerError;
  return BoxApiError;
}

function isAxiosErrorLike(error: unknown): error is AxiosError & BoxPlainErrorFields {
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

/**
 * Scrub the secrets from the text of an error and of the errors on its cause chain: a URL that
 * cannot be parsed is copied whole into the message (undici, and axios's fetch adapter after it)
 * or into an `input` field (Node's TypeError, which the http adapter rejects with as it is).
 */
function scrubErrorText(error: unknown, secrets: readonly string[]): void {
  let current = error as Record<string, unknown> | undefined;
  for (let depth = 0; current instanceof Error && depth < 4; depth += 1) {
    for (const key of ['message', 'stack', ...Object.keys(current)]) {
      const value = current[key];
      try {
        if (typeof value === 'string') current[key] = scrub(value, secrets);
      } catch {
        // A read-only field stays as it is.
      }
    }
    current = current.cause as Record<string, unknown> | undefined;
  }
}

/**
 * Mark an error that leaves the plugin without a response (network, timeout, cancel): attempts,
 * the reason it was not retried (also added to the message), the request's own config, and a
 * redacted `toJSON`.
 */
export function finishPlainError(
  error: unknown,
  config: InternalAxiosRequestConfig,
  attempts: number,
  notRetriedReason: string | undefined,
): unknown {
  scrubErrorText(error, collectSecrets(config));
  if (!isAxiosErrorLike(error)) return error;
  error.config = config;
  error.boxAttempts = attempts;
  const notes: string[] = [];
  if (attempts > 1) notes.push(`after ${attempts} attempts`);
  if (notRetriedReason) {
    error.boxNotRetriedReason = notRetriedReason;
    notes.push(`not retried: ${notRetriedReason}`);
  }
  if (notes.length > 0) {
    const before = error.message;
    // Read first: V8 renders a stack lazily, from the message of the moment it is first read.
    const stack = error.stack;
    error.message = `${before} (${notes.join('; ')})`;
    if (before && typeof stack === 'string') {
      error.stack = stack.replace(before, () => error.message);
    }
  }
  return redactPlainError(error);
}

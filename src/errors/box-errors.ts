import { AxiosError } from 'axios';
import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { BOX_ERROR_BRAND, type BoxErrorBrand } from './brand.js';
import { classifyStatus } from '../box/classify.js';
import { boxApiMessage } from './messages.js';
import { parseBoxErrorBody } from '../box/error-body.js';
import { getHeaderString } from '../util/headers.js';
import { hideRequestFields, redactPlainError, type BoxErrorJSON } from './redaction.js';
import { retryAfterOf } from '../box/retry-after.js';
import { collectSecrets, scrub, scrubDeep, scrubOptional } from './secrets.js';
import type { BoxStatus } from '../types.js';

/**
 * The `name` of each Box error class: the class's own name, also on an error of another copy of
 * the package.
 *
 * @example
 * ```ts
 * import type { BoxErrorName } from 'axios-box-status';
 *
 * const retryLater = (name: BoxErrorName): boolean => name === 'BoxRateLimitError' || name === 'BoxServerError';
 * ```
 */
export type BoxErrorName = 'BoxApiError' | 'BoxClientError' | 'BoxRateLimitError' | 'BoxServerError';

/**
 * What a Box error is built from: the plugin builds them; build one yourself to answer as Box
 * would (a test double, a cache of your own).
 *
 * @example
 * ```ts
 * import { AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
 * import { BoxClientError } from 'axios-box-status';
 *
 * const config = { headers: new AxiosHeaders(), url: '/files/1' } as InternalAxiosRequestConfig;
 * const body = { type: 'error', status: 404, code: 'not_found', message: 'Not Found', request_id: 'abc123' };
 * const response: AxiosResponse = { status: 404, statusText: 'Not Found', headers: {}, config, data: body };
 * const error = new BoxClientError({ response });
 * console.log(error.message); // Box API 404 not_found: Not Found (request abc123)
 * ```
 */
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
  /**
   * The response's Retry-After in milliseconds, when it has been parsed already (undefined: it
   * had none). @default parsed from the response's headers
   */
  retryAfterMs?: number | undefined;
  /**
   * Credentials to scrub besides those `response.config` carries: what the request that got this
   * response was sent with, when the config now differs (a token set per attempt). @default []
   */
  secrets?: readonly string[] | undefined;
}

/** Axios's own code for a failed status. */
export function axiosCode(status: number): string {
  return status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST;
}

/** The AxiosError axios rejects a failed status with. */
export function failedStatusError(response: AxiosResponse, config: InternalAxiosRequestConfig): AxiosError {
  return new AxiosError(
    `Request failed with status code ${response.status}`,
    axiosCode(response.status),
    config,
    response.request,
    response,
  );
}

/**
 * A response the plugin rejects: a 4xx ({@link BoxClientError}) or a 5xx ({@link BoxServerError})
 * that the request's `validateStatus` refused (axios's default refuses them all), or a status
 * outside Box's table that it refused. An `AxiosError`, so `axios.isAxiosError` and existing catch
 * blocks keep working; `code` stays axios's own.
 * `cause` is the AxiosError axios would have rejected with. No credential appears in its message,
 * `toJSON()` or inspection.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, BoxApiError } from 'axios-box-status';
 *
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box);
 * try {
 *   await box.get('/files/12345');
 * } catch (error) {
 *   // isBoxApiError(error) also recognises an error of another copy of the package.
 *   if (error instanceof BoxApiError) console.log(JSON.stringify(error)); // redacted: no token
 * }
 * ```
 */
export class BoxApiError<T = unknown, D = any> extends AxiosError<T, D> {
  /** The class's name: `BoxApiError`, `BoxClientError`, `BoxRateLimitError` or `BoxServerError`. */
  declare name: BoxErrorName;
  /** HTTP status of the final response. */
  declare status: number;
  /** The final response (not enumerable, so that a logger that copies the error leaves it out). */
  declare response: AxiosResponse<T, D>;
  /** The request as it was last sent (not enumerable: its headers hold the credentials). */
  declare config: InternalAxiosRequestConfig<D>;
  /** What `JSON.stringify(error)` shows: the status, the method, the redacted URL and Box's fields. */
  declare toJSON: () => BoxErrorJSON;
  /** @internal The brand the guards check. */
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
    const secrets = [...collectSecrets(response.config), ...(init.secrets ?? [])];
    const body = parseBoxErrorBody(init.body ?? response.data);
    const boxCode = scrubOptional(body.code, secrets);
    const boxMessage = scrubOptional(body.message, secrets);
    const requestId = scrubOptional(
      body.requestId ?? getHeaderString(response.headers, 'box-request-id'),
      secrets,
    );
    const notRetriedReason = init.notRetriedReason;
    const message = boxApiMessage(status, response.statusText, boxCode, boxMessage, requestId, attempts, notRetriedReason);

    super(scrub(message, secrets), axiosCode(status), response.config, response.request, response);
    hideRequestFields(this);
    this.name = new.target.prototype.name;
    this.status = status;
    this.boxCode = boxCode;
    this.boxMessage = boxMessage;
    this.requestId = requestId;
    this.helpUrl = scrubOptional(body.helpUrl, secrets);
    this.contextInfo = scrubDeep(body.contextInfo, secrets) as Record<string, unknown> | undefined;
    this.retryAfterMs =
      'retryAfterMs' in init ? init.retryAfterMs : retryAfterOf(response);
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
      // The call loop stamps what it measured.
      waitedMs: 0,
      durationMs: 0,
    };
    const cause = init.cause ?? failedStatusError(response, response.config);
    // Non-enumerable as on native errors: the cause holds sockets and the raw config.
    // Redacted too: it is axios's own rejection, whose toJSON and inspection show the config.
    Object.defineProperty(this, 'cause', { value: redactPlainError(cause), writable: true, configurable: true });
  }
}

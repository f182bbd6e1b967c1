import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { classifyStatus } from '../box/classify.js';
import { isRetryableStatus } from '../box/statuses.js';
import { bodyRequestId, parseBoxErrorBody } from '../box/error-body.js';
import { boxErrorClass } from './box-error-classes.js';
import type { BoxApiErrorInit } from './box-errors.js';
import { getHeaderString } from '../util/headers.js';
import { noteInMessage } from './message-note.js';
import { plainErrorNotes } from './messages.js';
import { hiddenCause } from './transport-cause.js';
import { isAxiosErrorLike, redactPlainError } from './redaction.js';
import { scrubErrorChain } from './scrub-thrown.js';
import { collectSecrets } from './secrets.js';
import { peekErrorBody } from '../box/streamed-error-body.js';
import type { BoxStatus } from '../types.js';

/**
 * Settle a final response: resolve it with `response.boxStatus`, or reject with the Box error for
 * its status. A 2xx or 3xx resolves whatever `validateStatus` says; any other status resolves when
 * the request's `validateStatus` accepts it (axios's default refuses every 4xx and 5xx).
 */
export function settleResponse(
  response: AxiosResponse,
  config: InternalAxiosRequestConfig,
  statuses: ReadonlySet<number>,
  attempts: number,
  retryAfterMs: number | undefined,
  notRetriedReason?: string,
  cause?: unknown,
): AxiosResponse | Promise<never> {
  // The config the attempt was sent with: its credentials are scrubbed from a rejection too.
  const sentWith = response.config;
  response.config = config;
  const status = response.status;
  const kind = classifyStatus(status);
  const retryable = isRetryableStatus(status, retryAfterMs, statuses);
  const validateStatus = config.validateStatus;
  // The caller's own validateStatus has the last word on a final status (a 404 as a value), once
  // the retries are over: every attempt resolved every status, so the policy saw each first.
  const accepted = kind === 'success' || kind === 'redirect' || !validateStatus || validateStatus(status);
  if (!accepted) {
    const ErrorClass = boxErrorClass(status);
    const secrets = sentWith && sentWith !== config ? collectSecrets(sentWith) : undefined;
    const init: BoxApiErrorInit = { response, attempts, retryable, notRetriedReason, cause, retryAfterMs, secrets };
    // A download answered with an error: Box's fields are in its body, which nobody has read.
    const peek = peekErrorBody(response);
    if (peek) {
      return peek.then(
        (body) => Promise.reject(new ErrorClass({ ...init, body })),
        () => Promise.reject(new ErrorClass(init)),
      );
    }
    throw new ErrorClass(init);
  }
  const boxStatus: BoxStatus = {
    status,
    kind,
    retryable,
    attempts,
    // A success body reaches the adapter unparsed (axios parses it afterwards), and parsing it
    // twice would tax every call; Box puts request_id in error bodies, parsed when one resolves.
    requestId:
      (kind === 'client-error' || kind === 'server-error' ? parseBoxErrorBody(response.data).requestId : bodyRequestId(response.data)) ??
      getHeaderString(response.headers, 'box-request-id'),
    retryAfterMs,
    notRetriedReason,
    // The call loop stamps what it measured; a response no transport sent (a cache hit) took no time.
    waitedMs: 0,
    durationMs: 0,
  };
  response.boxStatus = boxStatus;
  return response;
}

/**
 * Settle a call that ends without a response (network, timeout, cancel): the error is marked with
 * the attempts, the reason it was not retried (also added to the message), the request's own
 * config, and a redacted `toJSON`.
 */
export function settlePlainError(
  error: unknown,
  config: InternalAxiosRequestConfig,
  attempts: number,
  notRetriedReason: string | undefined,
): unknown {
  scrubErrorChain(error, collectSecrets(config));
  if (!isAxiosErrorLike(error)) return error;
  error.config = config;
  error.boxAttempts = attempts;
  if (notRetriedReason) error.boxNotRetriedReason = notRetriedReason;
  // The fetch adapter's "Network Error" says nothing of what happened; its cause does.
  const notes = plainErrorNotes(hiddenCause(error), attempts, notRetriedReason);
  if (notes) noteInMessage(error, notes);
  return redactPlainError(error);
}

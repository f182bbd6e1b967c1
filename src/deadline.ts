import { AxiosError } from 'axios';
import type { InternalAxiosRequestConfig } from 'axios';

// The reason is kept on the error, where the retry decision reads it: a deadline error has the
// code of a timeout, which would otherwise be retried.
const DEADLINE_REASON = Symbol('axios-box-status.deadline-reason');

/**
 * The error of a call the deadline ended before Box answered anything: a request it kept from
 * being sent, or the first attempt it cut short. The `cause` is that attempt's timeout error when
 * its cut timeout fired first, and none when the deadline's own abort did (the plugin's cancel).
 */
export function deadlineError(config: InternalAxiosRequestConfig, reason: string, cause?: unknown): AxiosError {
  const error = new AxiosError('deadline exceeded', 'ETIMEDOUT', config);
  Object.defineProperty(error, DEADLINE_REASON, { value: reason });
  // Non-enumerable, as on native errors: the cause holds the socket and the raw config.
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true });
  return error;
}

/** The reason of an error made by {@link deadlineError}; undefined for any other value. */
export function deadlineReason(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null
    ? (error as { [DEADLINE_REASON]?: string })[DEADLINE_REASON]
    : undefined;
}

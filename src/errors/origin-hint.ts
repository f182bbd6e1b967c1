import type { InternalAxiosRequestConfig } from 'axios';
import { isBoxApiError } from './guards.js';
import { noteInMessage } from './message-note.js';
import { noTokenSent } from './messages.js';

/**
 * Say why a 401 of a call that carried no managed token did: its origin is none of the BoxAuth's
 * (a test server's host left out of `origins`, say), which a bare 401 would leave to guessing.
 * Only the call's own Box error (its config is the call's) is noted.
 */
export function hintOrigins(
  error: unknown,
  config: InternalAxiosRequestConfig,
  origin: string | undefined,
  origins: readonly string[],
): void {
  if (!isBoxApiError(error) || error.status !== 401 || error.config !== config) return;
  noteInMessage(error, noTokenSent(origin, origins));
}

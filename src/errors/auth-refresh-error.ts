import { AxiosError } from 'axios';
import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import type { BoxAuthRefreshReason } from '../auth/types.js';
import { BOX_ERROR_BRAND, brandOf } from './brand.js';
import { refreshMessage } from './messages.js';
import { errorToJSON, hideRequestFields, INSPECT, inspectRedacted, type BoxErrorJSON } from './redaction.js';
import { redactThrown } from './scrub-thrown.js';
import { collectSecrets, scrub } from './secrets.js';
import type { BoxPlainErrorFields } from '../types.js';

/**
 * What a {@link BoxAuthRefreshError} is built from: the plugin builds them; a `refresh` of your
 * own may too, to fail the way the plugin's grants do.
 *
 * @example
 * ```ts
 * import { BoxAuthRefreshError } from 'axios-box-status';
 *
 * const error = new BoxAuthRefreshError({ reason: 'unauthorized', cause: new Error('vault sealed') });
 * console.log(error.message); // Box token refresh (reason unauthorized) failed: vault sealed
 * ```
 */
export interface BoxAuthRefreshErrorInit {
  /** Why the token was being refreshed. */
  reason: BoxAuthRefreshReason;
  /** What the refresh threw; during a cooldown, the last failed refresh's BoxAuthRefreshError. */
  cause: unknown;
  /** How long the refresh was allowed, when it timed out. */
  timedOutAfterMs?: number | undefined;
  /** What was left of the cooldown after a failed refresh, when no refresh was started for it. */
  coolingDownMs?: number | undefined;
  /** The 401 that made the call wait for the refresh, when one did. */
  response?: AxiosResponse | undefined;
  /** The request that waited for it. */
  config?: InternalAxiosRequestConfig | undefined;
  /** Credentials to scrub from the message and the cause: tokens, refresh tokens, client secrets. */
  secrets?: readonly string[] | undefined;
}

/**
 * A call needed a new access token and the refresh failed or timed out, or none was started
 * because a failed one's cooldown ran: nothing was re-sent. An `AxiosError` with code
 * `ERR_BOX_AUTH_REFRESH`; `cause` is what the refresh threw (during a cooldown, the last failed
 * refresh's own BoxAuthRefreshError), `reason` why a token was needed, and `response` the 401
 * that made the call wait for it, when one did.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, boxClientCredentialsGrant, BoxAuthRefreshError, createBoxAuth } from 'axios-box-status';
 *
 * const auth = createBoxAuth({
 *   refresh: boxClientCredentialsGrant({ clientId: 'id', clientSecret: 'secret', subjectType: 'enterprise', subjectId: '1' }),
 * });
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box, { auth });
 * await box.get('/users/me').catch((error: unknown) => {
 *   if (error instanceof BoxAuthRefreshError) console.log(error.reason, error.cause); // the grant's BoxClientError, say
 *   else throw error;
 * });
 * ```
 */
export class BoxAuthRefreshError extends AxiosError implements BoxPlainErrorFields {
  /** `BoxAuthRefreshError`. */
  declare name: 'BoxAuthRefreshError';
  /** What `JSON.stringify(error)` shows: no token, secret, config, headers or body. */
  declare toJSON: () => BoxErrorJSON;
  /** Why the token was being refreshed. */
  readonly reason: BoxAuthRefreshReason;
  /** How long the refresh was allowed, when it timed out. */
  readonly timedOutAfterMs: number | undefined;
  /** What was left of the cooldown when this call was refused without a refresh. */
  readonly coolingDownMs: number | undefined;
  boxAttempts?: number | undefined;
  boxNotRetriedReason?: string | undefined;

  constructor(init: BoxAuthRefreshErrorInit) {
    const secrets = [...(init.secrets ?? []), ...collectSecrets(init.config)];
    const { reason, cause, timedOutAfterMs, coolingDownMs } = init;
    super(
      scrub(refreshMessage(reason, cause, timedOutAfterMs, coolingDownMs), secrets),
      BoxAuthRefreshError.code,
      init.config,
      init.response?.request,
      init.response,
    );
    hideRequestFields(this);
    this.name = 'BoxAuthRefreshError';
    this.reason = reason;
    this.timedOutAfterMs = timedOutAfterMs;
    this.coolingDownMs = coolingDownMs;
    // Non-enumerable as on native errors, and redacted: a token endpoint's AxiosError holds the
    // form body with the client secret and the refresh token; a string thrown may quote a token.
    Object.defineProperty(this, 'cause', { value: redactThrown(cause, secrets), writable: true, configurable: true });
  }

  /** The `code` of every BoxAuthRefreshError. */
  static readonly code = 'ERR_BOX_AUTH_REFRESH';
}

Object.defineProperty(BoxAuthRefreshError.prototype, 'name', {
  value: 'BoxAuthRefreshError',
  writable: true,
  configurable: true,
});
Object.defineProperty(BoxAuthRefreshError.prototype, BOX_ERROR_BRAND, { value: 'auth-refresh' });
Object.defineProperty(BoxAuthRefreshError.prototype, INSPECT, {
  value: inspectRedacted,
  writable: true,
  configurable: true,
});
BoxAuthRefreshError.prototype.toJSON = function toJSON(this: BoxAuthRefreshError): BoxErrorJSON {
  return errorToJSON(this as never, {
    reason: this.reason,
    timedOutAfterMs: this.timedOutAfterMs,
    coolingDownMs: this.coolingDownMs,
    boxAttempts: this.boxAttempts,
    boxNotRetriedReason: this.boxNotRetriedReason,
  });
};

/**
 * Whether `value` is a {@link BoxAuthRefreshError} (of any copy of this package).
 *
 * @example
 * ```ts
 * import { createBoxAuth, isBoxAuthRefreshError } from 'axios-box-status';
 *
 * const auth = createBoxAuth({ refresh: () => Promise.reject(new Error('no token today')) });
 * await auth.token().catch((error: unknown) => {
 *   if (isBoxAuthRefreshError(error)) console.log(error.reason); // 'missing'
 *   else throw error;
 * });
 * ```
 */
export function isBoxAuthRefreshError(value: unknown): value is BoxAuthRefreshError {
  return brandOf(value) === 'auth-refresh';
}

/**
 * Make an axios instance a correct, safe client of the Box API: `response.boxStatus` on every
 * response, typed Box errors, retries that follow Box's rules, managed tokens and shared limits.
 * Start with {@link attachBoxStatus}.
 *
 * @module axios-box-status
 */
export { attachBoxStatus } from './attach.js';
export { withBoxStatus } from './typed-instance.js';
export { BOX_CHANNELS } from './events/channels.js';
export { classifyStatus } from './box/classify.js';
export { parseRetryAfter } from './box/retry-after.js';
export { BOX_RETRY_DEFAULTS } from './options/policy.js';
export { BoxApiError } from './errors/box-errors.js';
export { BoxClientError, BoxRateLimitError, BoxServerError } from './errors/box-error-classes.js';
export {
  isBoxApiError,
  isBoxClientError,
  isBoxRateLimitError,
  isBoxServerError,
} from './errors/guards.js';
export { createBoxAuth } from './auth/create-box-auth.js';
export { BoxAuthRefreshError, isBoxAuthRefreshError } from './errors/auth-refresh-error.js';
export { boxClientCredentialsGrant, boxRefreshTokenGrant } from './auth/grants.js';
export { createMemoryStore } from './store/memory-store.js';
export { BOX_RATE_LIMITS } from './pacing/rate-limits.js';
export type { BoxApiErrorInit, BoxErrorName } from './errors/box-errors.js';
export type { BoxErrorJSON } from './errors/redaction.js';
export type { BoxAuthRefreshErrorInit } from './errors/auth-refresh-error.js';
export type {
  BoxAuth,
  BoxAuthOptions,
  BoxAuthRefreshContext,
  BoxAuthRefreshEvent,
  BoxAuthRefreshReason,
  BoxToken,
} from './auth/types.js';
export type {
  BoxClientCredentialsGrantOptions,
  BoxRefreshTokenGrantOptions,
  BoxTokenPair,
  BoxTokenRefresher,
} from './auth/grants.js';
export type { BoxJitter, BoxRequestRetry, BoxRetryBudget, BoxRetryEvent, BoxRetryPolicy } from './options/retry-policy.js';
export type { BoxEffectiveLimit, BoxRateRule, BoxRateWindow } from './store/rate-types.js';
export type { BoxPacingStore, BoxPauseStore, BoxStateStore, BoxWindowStore } from './store/store-types.js';
export type { BoxStoredToken, BoxTokenStore } from './store/token-store-types.js';
export type {
  BoxPlainErrorFields,
  BoxStatus,
  BoxStatusHandle,
  BoxStatusKind,
  BoxStatusOptions,
  BoxStatusStats,
} from './types.js';
export type { BoxAxiosInstance, BoxAxiosResponse } from './box-axios-instance.js';
export type { BoxChannel } from './events/channels.js';
export type {
  BoxGiveUpMessage,
  BoxPauseMessage,
  BoxRefreshMessage,
  BoxRetryMessage,
  BoxWaitMessage,
} from './events/channel-types.js';

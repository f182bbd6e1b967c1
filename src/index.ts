export { attachBoxStatus } from './attach.js';
export { withBoxStatus } from './typed-instance.js';
export { BOX_CHANNELS } from './events/channels.js';
export { classifyStatus } from './classify.js';
export { parseRetryAfter } from './retry-after.js';
export { BOX_RETRY_DEFAULTS } from './defaults.js';
export { BoxApiError, BoxClientError, BoxRateLimitError, BoxServerError } from './errors.js';
export {
  isBoxApiError,
  isBoxClientError,
  isBoxRateLimitError,
  isBoxServerError,
} from './guards.js';
export { createBoxAuth } from './auth.js';
export { BoxAuthRefreshError, isBoxAuthRefreshError } from './auth-error.js';
export { boxClientCredentialsGrant, boxRefreshTokenGrant } from './grants.js';
export { createMemoryStore } from './memory-store.js';
export { BOX_RATE_LIMITS } from './rate-limits.js';
export type { BoxApiErrorInit, BoxErrorName } from './errors.js';
export type { BoxErrorJSON } from './redaction.js';
export type { BoxAuthRefreshErrorInit } from './auth-error.js';
export type {
  BoxAuth,
  BoxAuthOptions,
  BoxAuthRefreshContext,
  BoxAuthRefreshEvent,
  BoxAuthRefreshReason,
  BoxToken,
} from './auth-types.js';
export type {
  BoxClientCredentialsGrantOptions,
  BoxRefreshTokenGrantOptions,
  BoxTokenPair,
  BoxTokenRefresher,
} from './grants.js';
export type { BoxJitter, BoxRequestRetry, BoxRetryBudget, BoxRetryEvent, BoxRetryPolicy } from './policy-types.js';
export type { BoxRateRule, BoxRateWindow, BoxStateStore, BoxStoredToken } from './store-types.js';
export type {
  BoxPlainErrorFields,
  BoxStatus,
  BoxStatusHandle,
  BoxStatusKind,
  BoxStatusOptions,
  BoxStatusStats,
} from './types.js';
export type { BoxAxiosInstance, BoxAxiosResponse } from './typed-instance.js';
export type { BoxChannel } from './events/channels.js';
export type {
  BoxGiveUpMessage,
  BoxPauseMessage,
  BoxRefreshMessage,
  BoxRetryMessage,
  BoxWaitMessage,
} from './events/channel-types.js';

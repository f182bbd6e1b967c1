export { attachBoxStatus } from './attach.js';
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
export type { BoxApiErrorInit, BoxErrorName } from './errors.js';
export type { BoxErrorJSON } from './redaction.js';
export type { BoxJitter, BoxRequestRetry, BoxRetryBudget, BoxRetryEvent, BoxRetryPolicy } from './policy-types.js';
export type {
  BoxPlainErrorFields,
  BoxStatus,
  BoxStatusHandle,
  BoxStatusKind,
  BoxStatusOptions,
  BoxStatusStats,
} from './types.js';

import axios from 'axios';
import type { InternalAxiosRequestConfig } from 'axios';
import { brandOf } from '../errors/brand.js';
import { isBoxApiError } from '../errors/guards.js';
import { redactedRequestUrl } from '../errors/secrets.js';
import { innerCode } from '../errors/transport-cause.js';
import type { CallPolicy } from '../options/policy.js';
import { decideRetry, type Retry } from '../retry/decide.js';
import { failureOf, type Failure } from '../retry/failure.js';
import { GIVE_UP_CANCELLED, GIVE_UP_EXHAUSTED, GIVE_UP_NOT_RETRYABLE, GIVE_UP_REFRESH_FAILED, GIVE_UP_RETRIES_OFF } from '../retry/reasons.js';
import type { BoxPlainErrorFields } from '../types.js';
import type { BoxGiveUpMessage, BoxPauseMessage, BoxRetryMessage, BoxWaitMessage } from './channel-types.js';
import { listened } from './publish.js';

// What a call tells the channels. Each function returns at once when its channel has no subscriber.

const methodOf = (config: InternalAxiosRequestConfig): string => (config.method ?? 'get').toUpperCase();

/** The transport's code of an error without a response (the real one under the fetch adapter's ERR_NETWORK). */
function transportCode(error: unknown): string | undefined {
  const { code } = innerCode(error);
  return typeof code === 'string' ? code : undefined;
}

/** A retry (or a 401's re-send) of the request `config` is granted: attempt `attempt` follows. */
export function publishRetry(
  decision: Retry,
  failure: Failure,
  attempt: number,
  config: InternalAxiosRequestConfig,
): void {
  const channel = listened('retry');
  if (!channel) return;
  const status = failure.response?.status;
  const message: BoxRetryMessage = {
    method: methodOf(config),
    url: redactedRequestUrl(config),
    attempt,
    status,
    code: status === undefined ? transportCode(failure.error) : undefined,
    delayMs: Math.ceil(decision.delayMs),
    delaySource: decision.delaySource,
    reason: decision.reason,
  };
  channel.publish(message);
}

/** A response with `status` made `scope` pause for `ms`. */
export function publishPause(scope: string, ms: number, status: number): void {
  const channel = listened('pause');
  if (!channel) return;
  const message: BoxPauseMessage = { scope, ms: Math.ceil(ms), status };
  channel.publish(message);
}

/** A request of `scope` waits `ms` before it is sent, held by `holder`. */
export function publishWait(scope: string, ms: number, holder: BoxWaitMessage['holder']): void {
  const channel = listened('wait');
  if (!channel) return;
  const message: BoxWaitMessage = { scope, ms: Math.ceil(ms), holder };
  channel.publish(message);
}

/** Why a call ended with `error`, as the error says, or as the policy would have judged it. */
function giveUpReason(error: unknown, config: InternalAxiosRequestConfig, policy: CallPolicy): string {
  const noted = isBoxApiError(error) ? error.notRetriedReason : (error as BoxPlainErrorFields | null)?.boxNotRetriedReason;
  if (noted) return noted;
  if (axios.isCancel(error)) return GIVE_UP_CANCELLED;
  if (brandOf(error) === 'auth-refresh') return GIVE_UP_REFRESH_FAILED;
  if (!policy.retry) return GIVE_UP_RETRIES_OFF;
  // Not retried, yet the policy would have retried it with more retries: they ran out.
  const failure = failureOf(config, isBoxApiError(error) ? error.response : undefined, error);
  return decideRetry(failure, { ...policy, retries: Infinity }, 1, Math.random).retry ? GIVE_UP_EXHAUSTED : GIVE_UP_NOT_RETRYABLE;
}

/** The call of `config` ends with `error` after `attempts` requests. */
export function publishGiveUp(error: unknown, config: InternalAxiosRequestConfig, attempts: number, policy: CallPolicy): void {
  const channel = listened('giveUp');
  if (!channel) return;
  const status = isBoxApiError(error) ? error.status : undefined;
  const message: BoxGiveUpMessage = {
    method: methodOf(config),
    url: redactedRequestUrl(config),
    attempts,
    reason: giveUpReason(error, config, policy),
    status,
    code: status === undefined ? transportCode(error) : undefined,
  };
  channel.publish(message);
}

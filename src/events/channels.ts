/**
 * The `node:diagnostics_channel` channels the plugin publishes on, by what they tell. Subscribe
 * with `diagnostics_channel.subscribe(BOX_CHANNELS.retry, (message) => ...)`; each channel's
 * message is typed: {@link BoxRetryMessage}, {@link BoxPauseMessage}, {@link BoxWaitMessage},
 * {@link BoxRefreshMessage}, {@link BoxGiveUpMessage}. Nothing is published, nor any message
 * built, on a channel without a subscriber; where the runtime has no `diagnostics_channel` (a
 * browser, Node before 20.16) nothing is published at all. No message carries a credential.
 *
 * @example
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * import { BOX_CHANNELS, type BoxRetryMessage } from 'axios-box-status';
 *
 * diagnostics_channel.subscribe(BOX_CHANNELS.retry, (message) => {
 *   const { method, url, attempt, delayMs, reason } = message as BoxRetryMessage;
 *   console.log(`retrying ${method} ${url} (attempt ${attempt}) in ${delayMs} ms: ${reason}`);
 * });
 * ```
 */
export const BOX_CHANNELS = Object.freeze({
  /** A retry (or a 401's re-send) is granted: {@link BoxRetryMessage}. */
  retry: 'axios-box-status:retry',
  /** A response pauses its scope (a 429, a 503 with Retry-After): {@link BoxPauseMessage}. */
  pause: 'axios-box-status:pause',
  /** A request waits before it is sent, for a pause or a rate-limit slot: {@link BoxWaitMessage}. */
  wait: 'axios-box-status:wait',
  /** A token refresh of a BoxAuth ended: {@link BoxRefreshMessage}. */
  refresh: 'axios-box-status:refresh',
  /** A call ends with an error: {@link BoxGiveUpMessage}. */
  giveUp: 'axios-box-status:give-up',
} as const);

/**
 * A key of {@link BOX_CHANNELS}.
 *
 * @example
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * import { BOX_CHANNELS, type BoxChannel } from 'axios-box-status';
 *
 * // Count every message, by channel.
 * const counts = new Map<BoxChannel, number>();
 * for (const channel of Object.keys(BOX_CHANNELS) as BoxChannel[]) {
 *   diagnostics_channel.subscribe(BOX_CHANNELS[channel], () => counts.set(channel, (counts.get(channel) ?? 0) + 1));
 * }
 * ```
 */
export type BoxChannel = keyof typeof BOX_CHANNELS;

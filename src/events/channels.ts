/**
 * The `node:diagnostics_channel` channels the plugin publishes on, by what they tell. Subscribe
 * with `diagnostics_channel.subscribe(BOX_CHANNELS.retry, (message) => ...)`; each channel's
 * message is typed: {@link BoxRetryMessage}, {@link BoxPauseMessage}, {@link BoxWaitMessage},
 * {@link BoxRefreshMessage}, {@link BoxGiveUpMessage}. Nothing is published, nor any message
 * built, on a channel without a subscriber; where the runtime has no `diagnostics_channel` (a
 * browser, Node before 20.16) nothing is published at all. No message carries a credential.
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

/** A key of {@link BOX_CHANNELS}. */
export type BoxChannel = keyof typeof BOX_CHANNELS;

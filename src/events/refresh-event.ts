import type { BoxAuthRefreshEvent } from '../auth/types.js';
import type { BoxRefreshMessage } from './channel-types.js';
import { listened } from './publish.js';

/** A BoxAuth's refresh ended (what `onRefresh` is told, less the error and the expiry). */
export function publishRefresh({ reason, ok, durationMs }: BoxAuthRefreshEvent): void {
  const channel = listened('refresh');
  if (!channel) return;
  const message: BoxRefreshMessage = { reason, ok, durationMs: Math.round(durationMs) };
  channel.publish(message);
}

import type { InternalAxiosRequestConfig } from 'axios';
import { clock } from '../util/wait.js';
import { AUTHORIZE, type CallAuthorizer } from './authorizer.js';
import { AUTH_SECRETS, CallAuth } from './call-auth.js';
import { TokenHolder } from './held-token.js';
import { REFRESH_SECRETS, resolveAuthOptions } from './options.js';
import { Refreshes } from './refresh.js';
import { isDue, refreshCooldown } from './timing.js';
import type { BoxAuth, BoxAuthOptions } from './types.js';

/**
 * A managed Box access token for `attachBoxStatus(instance, { auth })`, one BoxAuth for as many
 * instances as act for the same user. Each attempt to one of its origins carries the current
 * token; a missing or expired token is refreshed before a call, an expiring one in the background;
 * a 401 to the current token refreshes it once, whatever the number of calls that meet it, and
 * each is re-sent once. A failed refresh is every waiting call's one outcome, and starts a
 * cooldown. Options are validated here: a bad value throws a TypeError that names it.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, boxClientCredentialsGrant, createBoxAuth } from 'axios-box-status';
 *
 * const auth = createBoxAuth({
 *   refresh: boxClientCredentialsGrant({
 *     clientId: process.env.BOX_CLIENT_ID!,
 *     clientSecret: process.env.BOX_CLIENT_SECRET!,
 *     subjectType: 'enterprise',
 *     subjectId: process.env.BOX_ENTERPRISE_ID!,
 *   }),
 * });
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box, { auth });
 * console.log((await box.get('/users/me')).data);
 * ```
 */
export function createBoxAuth(options: BoxAuthOptions): BoxAuth {
  const resolved = resolveAuthOptions(options);
  const { refresh, origins, refreshBeforeExpiryMs, refreshCooldownMs } = resolved;
  const cooldown = refreshCooldown(refreshCooldownMs);
  const holder = new TokenHolder(resolved.initialToken, refreshBeforeExpiryMs, cooldown, () => refresh[REFRESH_SECRETS]?.() ?? []);
  const refreshes = new Refreshes(resolved, holder, cooldown);
  const secrets = (): string[] => holder.secrets();

  const auth: BoxAuth & { [AUTH_SECRETS]: () => string[]; [AUTHORIZE]: (config: InternalAxiosRequestConfig) => CallAuthorizer } = {
    origins,
    async token() {
      const held = holder.current;
      const now = clock();
      if (held && now < held.validUntil) {
        if (isDue(held, now) && !refreshes.waiting && cooldown.leftMs() <= 0) void refreshes.start('expiring');
        return held.token.accessToken;
      }
      const { refused } = holder;
      const token = await (held ? refreshes.need('expiring') : refused === undefined ? refreshes.need('missing') : refreshes.need('unauthorized', refused));
      return token.accessToken;
    },
    invalidate() {
      holder.invalidate();
    },
    async renew(rejectedToken) {
      holder.refuse(rejectedToken);
      if (refreshes.waiting) await refreshes.waiting;
      else if (holder.current === undefined) await refreshes.need('unauthorized', holder.refused ?? rejectedToken);
    },
    [AUTH_SECRETS]: secrets,
    [AUTHORIZE]: (config) =>
      new CallAuth(auth, config, (token) => holder.refuse(token), (token) => holder.accept(token)),
  };
  return auth;
}

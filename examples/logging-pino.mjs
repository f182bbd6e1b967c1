// Recipe: log what the plugin does with pino (retries, pauses, waits, refreshes, give-ups), from its diagnostics channels.
// Run it: npm run example logging-pino (against a local Box-like server).
//
// Logging with pino: what axios-box-status does (each retry, pause, wait, token refresh and
// give-up) as one JSON line each, from node:diagnostics_channel. Subscribing is all it takes: the
// plugin publishes nothing while nobody listens, and its messages carry no credential.
//
//   BOX_API_BASE_URL=http://127.0.0.1:8080 BOX_CLIENT_ID=... BOX_CLIENT_SECRET=... BOX_ENTERPRISE_ID=... \
//     node examples/logging-pino.mjs
//
// BOX_API_BASE_URL defaults to https://api.box.com/2.0, and the token endpoint to /oauth2/token on
// its host. The calls after the recipe are an app's usual ones: a folder, a burst of searches kept
// under Box's 6 a second (rateLimit: true), a file that may be gone.
import diagnostics_channel from 'node:diagnostics_channel';
import axios from 'axios';
import pino from 'pino';
import { BOX_CHANNELS, boxClientCredentialsGrant, createBoxAuth, isBoxApiError, withBoxStatus } from 'axios-box-status';

/**
 * Subscribe to one of the plugin's channels, with its message's type.
 * @template T
 * @param {string} channel
 * @param {(message: T) => void} listener
 */
function on(channel, listener) {
  diagnostics_channel.subscribe(channel, (message) => listener(/** @type {T} */ (message)));
}

const log = pino({ name: 'box' });

// ---- The recipe: one subscription per channel.
on(BOX_CHANNELS.retry, /** @param {import('axios-box-status').BoxRetryMessage} m */ (m) =>
  log.warn(m, `retrying ${m.method} ${m.url} in ${m.delayMs} ms (${m.reason})`),
);
on(BOX_CHANNELS.pause, /** @param {import('axios-box-status').BoxPauseMessage} m */ (m) => log.warn(m, `Box answered ${m.status}: ${m.scope} pauses ${m.ms} ms`));
const held = { pause: 'the rate-limit pause', 'rate-limit': 'a rate-limit slot' };
on(BOX_CHANNELS.wait, /** @param {import('axios-box-status').BoxWaitMessage} m */ (m) => log.info(m, `waiting ${m.ms} ms for ${held[m.holder]}`));
on(BOX_CHANNELS.refresh, /** @param {import('axios-box-status').BoxRefreshMessage} m */ (m) => {
  if (m.ok) log.info(m, `token refreshed (${m.reason}) in ${m.durationMs} ms`);
  else log.error(m, `token refresh (${m.reason}) failed after ${m.durationMs} ms`);
});
on(BOX_CHANNELS.giveUp, /** @param {import('axios-box-status').BoxGiveUpMessage} m */ (m) =>
  log.error(m, `gave up on ${m.method} ${m.url} after ${m.attempts} attempts: ${m.reason}`),
);

// ---- An app.
const baseURL = process.env.BOX_API_BASE_URL ?? 'https://api.box.com/2.0';
const auth = createBoxAuth({
  origins: [new URL(baseURL).origin],
  refresh: boxClientCredentialsGrant({
    clientId: process.env.BOX_CLIENT_ID ?? 'client-id',
    clientSecret: process.env.BOX_CLIENT_SECRET ?? 'client-secret',
    subjectType: 'enterprise',
    subjectId: process.env.BOX_ENTERPRISE_ID ?? '0',
    tokenUrl: new URL('/oauth2/token', baseURL).href,
  }),
});
const box = withBoxStatus(axios.create({ baseURL }), { auth, rateLimit: true, retry: { deadlineMs: 30_000 } });

const root = await box.get('/folders/0', { params: { fields: 'name' } });
log.info({ attempts: root.boxStatus.attempts, waitedMs: root.boxStatus.waitedMs }, 'root folder listed');

const queries = ['report', 'budget', 'plan', 'invoice', 'contract', 'roadmap', 'minutes', 'slides'];
await Promise.all(queries.map((query) => box.get('/search', { params: { query, limit: 5 } })));
log.info({ searches: queries.length }, 'searches done');

try {
  await box.get('/files/404404', { params: { fields: 'name' } });
} catch (error) {
  // Logged already by the give-up subscriber; the app decides what else to do.
  if (isBoxApiError(error)) log.info({ status: error.status }, 'no such file');
  else throw error;
}

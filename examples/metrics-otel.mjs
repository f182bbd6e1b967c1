// Recipe: OpenTelemetry metrics from the diagnostics channels (retries by status, waits, pauses, refreshes, give-ups).
// Run it: npm run example metrics-otel (against a local Box-like server).
//
// OpenTelemetry metrics from axios-box-status's diagnostics channels: retries by status (or
// transport code), waits before sending and what held them, rate-limit pauses, token refreshes,
// give-ups. The recipe is instrumentBox(meter); export with any OpenTelemetry exporter (OTLP,
// Prometheus...). This run collects in memory and prints what an exporter would send.
//
//   BOX_API_BASE_URL=http://127.0.0.1:8080 BOX_CLIENT_ID=... BOX_CLIENT_SECRET=... BOX_ENTERPRISE_ID=... \
//     node examples/metrics-otel.mjs
//
// BOX_API_BASE_URL defaults to https://api.box.com/2.0, and the token endpoint to /oauth2/token on
// its host.
import diagnostics_channel from 'node:diagnostics_channel';
import axios from 'axios';
import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BOX_CHANNELS, boxClientCredentialsGrant, createBoxAuth, withBoxStatus } from 'axios-box-status';

/**
 * Subscribe to one of the plugin's channels, with its message's type.
 * @template T
 * @param {string} channel
 * @param {(message: T) => void} listener
 */
function on(channel, listener) {
  diagnostics_channel.subscribe(channel, (message) => listener(/** @type {T} */ (message)));
}

// ---- The recipe.
/** @param {import('@opentelemetry/api').Meter} meter */
function instrumentBox(meter) {
  const retries = meter.createCounter('box.retries', { description: 'Retries and 401 re-sends, by status or transport code' });
  const waits = meter.createHistogram('box.wait', { unit: 'ms', description: 'Waits before a request is sent, by what held it' });
  const pauses = meter.createCounter('box.pauses', { description: 'Rate-limit pauses a response started, by status' });
  const refreshes = meter.createCounter('box.token.refreshes', { description: 'Token refreshes, by reason and outcome' });
  const refreshTime = meter.createHistogram('box.token.refresh.duration', { unit: 'ms' });
  const giveUps = meter.createCounter('box.give_ups', { description: 'Calls that ended with an error, by why' });
  on(BOX_CHANNELS.retry, /** @param {import('axios-box-status').BoxRetryMessage} m */ (m) => retries.add(1, { status: String(m.status ?? m.code), source: m.delaySource }));
  on(BOX_CHANNELS.wait, /** @param {import('axios-box-status').BoxWaitMessage} m */ (m) => waits.record(m.ms, { holder: m.holder }));
  on(BOX_CHANNELS.pause, /** @param {import('axios-box-status').BoxPauseMessage} m */ (m) => pauses.add(1, { status: String(m.status) }));
  on(BOX_CHANNELS.refresh, /** @param {import('axios-box-status').BoxRefreshMessage} m */ (m) => {
    refreshes.add(1, { reason: m.reason, ok: m.ok });
    refreshTime.record(m.durationMs, { reason: m.reason });
  });
  on(BOX_CHANNELS.giveUp, /** @param {import('axios-box-status').BoxGiveUpMessage} m */ (m) => giveUps.add(1, { reason: m.reason }));
}

// ---- The SDK, as an app sets it up (an OTLP exporter in production).
const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const provider = new MeterProvider({
  readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })],
});
metrics.setGlobalMeterProvider(provider);
instrumentBox(metrics.getMeter('axios-box-status'));

// ---- An app: a folder, a burst of searches kept under Box's 6 a second, a file that may be gone.
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

await box.get('/folders/0', { params: { fields: 'name' } });
const queries = ['report', 'budget', 'plan', 'invoice', 'contract', 'roadmap', 'minutes', 'slides'];
await Promise.all(queries.map((query) => box.get('/search', { params: { query, limit: 5 } })));
await box.get('/files/404404').catch(() => {});

// ---- What an exporter would send: one line per data point.
await provider.forceFlush();
for (const { scopeMetrics } of exporter.getMetrics().slice(-1)) {
  for (const { metrics: instruments } of scopeMetrics) {
    for (const { descriptor, dataPoints } of instruments) {
      for (const point of dataPoints) {
        const value = typeof point.value === 'number' ? point.value : { count: point.value.count, sum: point.value.sum };
        console.log(JSON.stringify({ metric: descriptor.name, attributes: point.attributes, value }));
      }
    }
  }
}
await provider.shutdown();

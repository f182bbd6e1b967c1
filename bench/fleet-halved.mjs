// Scenario 7 of the benchmark, part C: a halved limit. The Box-like server (examples/fleet-server.mjs)
// allows HALVED.max requests in any HALVED.perMs, then, `before` ms after the fleet's first
// request, only HALVED.to, as Box does under load; the plugin's clients keep the rule they were
// given (HALVED.max), and learn the lower limit from the 429s (adaptive limits). Measured, in the
// `after` ms from the drop: the 429s the server sent (and in its second half), the share of the
// lowered limit used, the calls that failed.

import { startFleet } from '../examples/fleet-processes.mjs';
import { startFleetServer } from '../examples/fleet-server.mjs';
import { FLEET_CLIENTS, FLEET_PROCESSES } from './fleet.mjs';

export const HALVED = { max: 10, perMs: 1000, to: 5 };

/** Per client: what the server counted in the `after` ms after it halved its limit. */
export async function halvedLimit({ redisSocket, durations, progress }) {
  const { before, after } = durations;
  const results = new Map();
  for (const client of FLEET_CLIENTS) {
    progress(`scenario 7, a halved limit: ${client.name}`);
    const server = await startFleetServer({ limit: { max: HALVED.max, perMs: HALVED.perMs }, lowerTo: { max: HALVED.to, afterMs: before } });
    const { rateLimit, ...settings } = client.settings;
    let fleet;
    try {
      fleet = await startFleet(FLEET_PROCESSES, {
        ...settings,
        ...(rateLimit ? { rateLimit: [{ name: 'fleet', max: HALVED.max, perMs: HALVED.perMs }] } : {}),
        ...(client.redis ? { redis: { path: redisSocket, client: 'ioredis' } } : {}),
        baseURL: server.url,
        retry: { baseDelayMs: 10 },
        concurrency: 2,
        // Past the measured span, from the first request (a moment after go).
        durationMs: before + after + 500,
      });
      fleet.go();
      const totals = await fleet.done;
      const at = server.loweredAt ?? Infinity;
      const within = (from, to) => server.log.filter((entry) => entry.receivedAt >= from && entry.receivedAt < to);
      const span = within(at, at + after);
      const accepted = span.filter((entry) => entry.status === 200).length;
      results.set(client, {
        refusals: span.filter((entry) => entry.status === 429).length,
        lateRefusals: within(at + after / 2, at + after).filter((entry) => entry.status === 429).length,
        acceptedPerSecond: (accepted * 1000) / after,
        used: accepted / ((HALVED.to * after) / HALVED.perMs),
        calls: totals.reduce((sum, worker) => sum + worker.sent, 0),
        failed: totals.reduce((sum, worker) => sum + worker.failed, 0),
      });
    } finally {
      fleet?.kill();
      await server.close();
    }
  }
  return results;
}

import type { BoxStateStore } from '../store/store-types.js';
import { clock } from '../util/wait.js';
import { UNSHARED, type CommandGate } from './command-gate.js';
import { PAUSE, runScript } from './scripts.js';

/**
 * Past this many scopes known to be current, they are forgotten (and each read again on its next
 * use): a process acting for many users must not keep one entry per user forever.
 */
const MOST_KNOWN = 1024;

/** The fleet's pauses, as one process keeps them. */
export interface FleetPauses {
  /** Resolves once `pauseMs(scope)` knows the pause Redis holds for `scope`; undefined when it knows already. */
  learn(scope: string): Promise<void> | undefined;
  /** Pause `scope` here, and in Redis for every process (now, or once Redis answers again). */
  pause(scope: string, ms: number): void;
  /** A message on the channel: another process's pause. */
  heard(message: string): void;
  /** The subscription is live: what was missed while it was not is read again. */
  subscribed(): void;
  /** The subscription is lost: pauses published from now on are missed until it is back. */
  unsubscribed(): void;
  /** Redis answers again: the pauses set while it did not are written and published, those still in force. */
  answering(): void;
}

/**
 * The pauses of the fleet, mirrored in `local`: a pause published on the channel arrives here
 * while the subscription is live; what it cannot bring (a pause set before this process, or its
 * subscription, was there; one published while the subscription was lost) is read from Redis
 * before a scope's request is sent: on the scope's first use, and again after each
 * (re)subscription. A scope is known (its pause needs no reading) only once read while the
 * subscription is live: until then each request reads it.
 */
export function fleetPauses(gate: CommandGate, local: Pick<BoxStateStore, 'pause'>, keyOf: (scope: string) => string, channel: string): FleetPauses {
  let live = false;
  /** Changes whenever the subscription is made or lost: a read from another era proves nothing. */
  let era = 0;
  /** Scopes whose pause this process knows: read since the subscription was last made. */
  const known = new Set<string>();
  /** Scopes known before the subscription was lost: read again as soon as it is back. */
  const stale = new Set<string>();
  const reading = new Map<string, Promise<void>>();
  /** Pauses Redis did not take when they were set: until when each runs, on this clock. */
  const unsent = new Map<string, number>();

  const read = (scope: string): Promise<void> => {
    const since = live ? era : -1;
    const key = keyOf(scope);
    const running = gate.run((link) => link.command(['PTTL', key], key)).then((ms) => {
      if (reading.get(scope) === running) reading.delete(scope);
      if (ms === UNSHARED) return;
      if (Number(ms) > 0) local.pause(scope, Number(ms));
      if (since === era) {
        if (known.size >= MOST_KNOWN) known.clear();
        known.add(scope);
      }
    });
    reading.set(scope, running);
    return running;
  };

  const send = (scope: string, until: number): void => {
    const ms = Math.ceil(until - clock());
    if (ms < 1) return;
    void gate.run((link) => runScript(link, PAUSE, [keyOf(scope)], [String(ms), channel, `${ms}\n${scope}`])).then((inForce) => {
      if (inForce === UNSHARED) {
        if (until > (unsent.get(scope) ?? 0)) unsent.set(scope, until);
      } else if (Number(inForce) > ms) {
        // Redis holds a longer one, set by a process whose message has not arrived yet.
        local.pause(scope, Number(inForce));
      }
    });
  };

  return {
    learn: (scope) => (known.has(scope) ? undefined : (reading.get(scope) ?? read(scope))),

    pause(scope, ms) {
      // Here at once; for the others as soon as Redis has it (they hear it on the channel).
      local.pause(scope, ms);
      if (ms >= 1) send(scope, clock() + ms);
    },

    heard(message) {
      const cut = message.indexOf('\n');
      const ms = Number(message.slice(0, cut));
      if (cut > 0 && ms > 0) local.pause(message.slice(cut + 1), ms);
    },

    subscribed() {
      live = true;
      era += 1;
      // Reads under way began before the subscription: each is made again, for the calls to come.
      for (const scope of new Set([...stale, ...reading.keys()])) read(scope);
      stale.clear();
    },

    unsubscribed() {
      live = false;
      era += 1;
      for (const scope of known) stale.add(scope);
      known.clear();
    },

    answering() {
      const pending = [...unsent];
      unsent.clear();
      for (const [scope, until] of pending) send(scope, until);
    },
  };
}

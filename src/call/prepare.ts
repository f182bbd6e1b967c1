import { acquireSlot, reportLag } from '../pacing/gates.js';
import type { Ending, Failure } from '../retry/failure.js';
import { EJECTED, PAUSE_HOLDS, SLOT_HOLDS } from '../retry/reasons.js';
import { clock, raceAbort } from '../util/wait.js';
import type { Call } from './call.js';
import type { AttemptOverrides } from './transport.js';

/** What the next attempt is sent with: its token (undefined: none) and the deadline's overrides. */
export interface Ready {
  readonly token: string | undefined;
  readonly overrides: AttemptOverrides | undefined;
}

/**
 * Make the next attempt ready to send: its token first (a refresh may take a while), then held by
 * the shared pause and by the rate limits (a slot in each of its windows, taken last, just before
 * the send), then its timeout cut by the deadline; or how the call ends instead. At once when
 * nothing holds it (no token to get, no pause, no rate limit): the adapter then runs in the
 * caller's own tick, as it would without the plugin.
 */
export function prepare(call: Call): Ready | Ending | Promise<Ready | Ending> {
  const { next } = call.state;
  if (next.kind !== 'first' && call.limits.ejected) return { failure: next.failure, reason: EJECTED };
  const hold = call.auth ? undefined : holdNow(call, false);
  return hold?.ms === 0 ? held(call, undefined, undefined) : prepareLater(call, hold);
}

/** Get the attempt's token, then wait while something holds it (the first hold known already, when it is). */
async function prepareLater(call: Call, first: Hold | undefined): Promise<Ready | Ending> {
  const { state, limits, auth } = call;
  let token: string | undefined;
  if (auth) {
    const { next } = state;
    const tokenFrom = clock();
    const got = await auth.tokenFor(state.request, limits.cancel, next.kind === 'resend' ? next.failure.response : undefined);
    state.timing.waitedSince(tokenFrom);
    if (typeof got === 'object') return limits.stop(got, state.attempts);
    token = got;
  }
  // The store is asked to learn the scope's pause once per attempt: a store that cannot tell (Redis
  // away) answers at once, and asking again would spin without ever letting a timer run.
  let learnt = false;
  for (let hold = first ?? holdNow(call, learnt); ; hold = holdNow(call, learnt)) {
    let { ms } = hold;
    if (typeof ms !== 'number') {
      // A store that answers later (Redis) is waited for as abortably as any other wait.
      const slotFrom = clock();
      ms = (await raceAbort(ms, limits.cancel)) ?? 0;
      state.timing.waitedSince(slotFrom);
      const cancelled = limits.cancelled();
      if (cancelled) return held(call, token, cancelled);
      learnt ||= hold.learning === true;
      // A pause learned from the store, or heard of while a slot was asked for, holds it too (the
      // slot, if one was taken, is given back: the attempt asks again after the pause).
      if (ms <= 0 && (hold.learning || pausedMs(call) > 0)) {
        releaseSlot(call);
        continue;
      }
    }
    if (ms <= 0) return held(call, token, undefined);
    const heldFrom = clock();
    const stopped = await limits.hold(ms, hold.holder, state.attempts + 1, state.scope(call.host.gates));
    state.timing.waitedSince(heldFrom);
    if (stopped) return held(call, token, stopped);
    // A timer ran: news missed meanwhile (a pause set while Redis was away) is worth asking for again.
    learnt = false;
  }
}

/** The attempt is no longer held (or `stopped` ended the call meanwhile): the eject, then the deadline's cut. */
function held(call: Call, token: string | undefined, stopped: Failure | undefined): Ready | Ending {
  const { state, limits } = call;
  const ending = (end: Ending): Ending => {
    releaseSlot(call);
    return end;
  };
  if (stopped) return ending(limits.stop(stopped, state.attempts));
  if (limits.ejected) {
    // Ejected while the attempt waited: a retry is not sent; a first attempt goes as plain axios.
    if (state.next.kind !== 'first') return ending({ failure: state.next.failure, reason: EJECTED });
    token = undefined;
  }
  const cut = limits.cut(state.request, state.attempts + 1);
  return 'failure' in cut ? ending(limits.stop(cut.failure, state.attempts)) : { token, overrides: cut.overrides };
}

/**
 * Settle the slot the attempt took, if it still has one: its attempt answered or failed (it reached
 * Box by then if it ever did), or it will not be sent (held again, cancelled, ended). Settled now,
 * it counts a window from now, where a slot never settled counts as pending for 10 s.
 */
export function releaseSlot(call: Call): void {
  const { state, host } = call;
  const { slot } = state;
  if (!slot) return;
  state.slot = undefined;
  reportLag(host.gates, state.scope(host.gates), state.request, clock() - slot.askedAt, slot.ref);
}

/** What holds the next attempt now: for how long (0: nothing; a store that answers later: a promise), and what. */
interface Hold {
  readonly ms: number | Promise<number>;
  readonly holder: string;
  /** The store reads a pause it could not have heard of (a scope's first use): look again after. */
  readonly learning?: boolean;
}

/**
 * What holds the next attempt now: its scope's pause while it is in force, else the wait for a slot
 * in each rate limit it counts in (taking them when they have room).
 */
function holdNow(call: Call, learnt: boolean): Hold {
  const { state, policy, host } = call;
  const { gates } = host;
  const learning = policy.shareRateLimit && !learnt ? gates.store.learnPause?.(state.scope(gates)) : undefined;
  if (learning) return { ms: learning.then(() => 0), holder: PAUSE_HOLDS, learning: true };
  const paused = pausedMs(call);
  if (paused > 0) return { ms: paused + state.spreadAfter(paused), holder: PAUSE_HOLDS };
  if (gates.rules.length === 0) return FREE;
  releaseSlot(call);
  state.slot = { ref: {}, askedAt: clock() };
  return { ms: acquireSlot(gates, state.scope(gates), state.request, policy.shareRateLimit, state.slot.ref), holder: SLOT_HOLDS };
}

/** Nothing holds the attempt: one object for every call that is neither paused nor paced. */
const FREE: Hold = Object.freeze({ ms: 0, holder: PAUSE_HOLDS });

/** The shared pause in force for the call's scope now, in ms (0: none, or not shared). */
function pausedMs(call: Call): number {
  const { state, policy, host } = call;
  const { store } = host.gates;
  return policy.shareRateLimit && store.pauseMs() > 0 ? store.pauseMs(state.scope(host.gates)) : 0;
}

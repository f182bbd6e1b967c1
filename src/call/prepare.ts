import type { CallAuthorizer } from '../auth/authorizer.js';
import { acquireSlot } from '../gates.js';
import type { Ending, Failure } from '../retry/failure.js';
import { EJECTED, PAUSE_HOLDS, SLOT_HOLDS } from '../retry/reasons.js';
import { raceAbort } from '../util/wait.js';
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
  if (call.auth) return withToken(call, call.auth);
  const holding = hold(call);
  return holding ? holding.then((stopped) => held(call, undefined, stopped)) : held(call, undefined, undefined);
}

async function withToken(call: Call, auth: CallAuthorizer): Promise<Ready | Ending> {
  const { state, limits } = call;
  const { next } = state;
  const token = await auth.tokenFor(state.request, limits.cancel, next.kind === 'resend' ? next.failure.response : undefined);
  if (typeof token === 'object') return limits.stop(token, state.attempts);
  return held(call, token, await hold(call));
}

/** The attempt is no longer held (or `stopped` ended the call meanwhile): the eject, then the deadline's cut. */
function held(call: Call, token: string | undefined, stopped: Failure | undefined): Ready | Ending {
  const { state, limits } = call;
  if (stopped) return limits.stop(stopped, state.attempts);
  if (limits.ejected) {
    // Ejected while the attempt waited: a retry is not sent; a first attempt goes as plain axios.
    if (state.next.kind !== 'first') return { failure: state.next.failure, reason: EJECTED };
    token = undefined;
  }
  const cut = limits.cut(state.request, state.attempts + 1);
  return 'failure' in cut ? limits.stop(cut.failure, state.attempts) : { token, overrides: cut.overrides };
}

/** What holds the next attempt now: for how long (a store that answers later: a promise), and what. */
interface Hold {
  readonly ms: number | Promise<number>;
  readonly holder: string;
}

/** The pause of the attempt's scope while it is in force, else the wait for a slot in each rate limit it counts in (which takes them). */
function holdNow(call: Call): Hold {
  const { state, policy, host } = call;
  const { gates } = host;
  const paused = policy.shareRateLimit && gates.store.pauseMs() > 0 ? gates.store.pauseMs(state.scope(gates)) : 0;
  if (paused > 0) return { ms: paused + state.spreadAfter(paused), holder: PAUSE_HOLDS };
  if (gates.rules.length === 0) return { ms: 0, holder: PAUSE_HOLDS };
  return { ms: acquireSlot(gates, state.scope(gates), state.request, policy.shareRateLimit), holder: SLOT_HOLDS };
}

/**
 * Hold the next attempt while its scope's pause is in force, then until it has a slot in each
 * rate limit it counts in: undefined at once when nothing holds it, else the wait, which gives the
 * failure that ended the call meanwhile (a cancel, the deadline), if any.
 */
function hold(call: Call): Promise<Failure | undefined> | undefined {
  const now = holdNow(call);
  return typeof now.ms === 'number' && now.ms <= 0 ? undefined : keepHolding(call, now);
}

async function keepHolding(call: Call, first: Hold): Promise<Failure | undefined> {
  const { state, limits } = call;
  for (let now = first; ; now = holdNow(call)) {
    let { ms } = now;
    if (typeof ms !== 'number') {
      // A store that answers later (Redis) is waited for as abortably as any other wait.
      ms = (await raceAbort(ms, limits.cancel)) ?? 0;
      const cancelled = limits.cancelled();
      if (cancelled) return cancelled;
    }
    if (ms <= 0) return undefined;
    const failure = await limits.hold(ms, now.holder, state.attempts + 1);
    if (failure) return failure;
  }
}

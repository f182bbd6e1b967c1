import type { AxiosResponse } from 'axios';
import { statusTreatment } from '../box/statuses.js';
import { failureOf, rejectionFailure, type Failure } from '../retry/failure.js';
import type { Call } from './call.js';
import { releaseSlot, type Ready } from './prepare.js';
import { attemptConfig } from './transport.js';

/** What an attempt came to: a final response, or a failure (the deadline has heard it). */
export type Sent = { readonly final: AxiosResponse } | { readonly failure: Failure };

/**
 * Send the next attempt: a copy of the request, with its token and the deadline's cut, through
 * the adapter the request would have used. Every status resolves there: a final one is the
 * answer; any other, or a rejection, is the attempt's failure.
 */
export async function send(call: Call, { token, overrides }: Ready): Promise<Sent> {
  const { state, limits } = call;
  if (state.next.kind === 'retry') limits.account.spend();
  state.count();
  const sent = attemptConfig(state.request, overrides, token);
  // The same headers as the caller's unless the plugin gave this attempt its own (a token).
  state.sentHeaders = sent.headers === state.config.headers ? undefined : sent.headers;
  let response: AxiosResponse | undefined;
  let failure: Failure | undefined;
  try {
    response = await call.adapter(sent);
    call.auth?.answered(response);
  } catch (error) {
    failure = rejectionFailure(sent, error);
  }
  releaseSlot(call);
  if (response && statusTreatment(response.status).final) return { final: response };
  failure ??= failureOf(sent, response, undefined);
  limits.heard(failure, state.attempts, true);
  return { failure };
}

import type { AxiosAdapter } from 'axios';
import type { CallAuthorizer } from '../auth/authorizer.js';
import type { CallPolicy } from '../options/policy.js';
import type { CallHost } from './call-host.js';
import type { CallLimits } from './call-limits.js';
import type { CallState } from './call-state.js';

/** One call, as each of its steps sees it. */
export interface Call {
  readonly host: CallHost;
  readonly policy: CallPolicy;
  /** The transport the request would have used without the plugin. */
  readonly adapter: AxiosAdapter;
  /** Where the call is: its attempts, the request each is a copy of, what the next one is. */
  readonly state: CallState;
  /** What may end it before an answer: its deadline, a cancel, the budget, an eject. */
  readonly limits: CallLimits;
  /** Its use of the instance's BoxAuth, unless the request opted out (`boxAuth: false`). */
  readonly auth: CallAuthorizer | undefined;
}

import { isBoxClientError } from '../errors/guards.js';
import { expiresIn, grant, requestToken, tokenClient, type BoxTokenRefresher } from '../auth/token-request.js';
import { signAssertion } from './assertion.js';
import { jwtSettings } from './jwt-config.js';
import type { BoxJwtGrantOptions } from './jwt-types.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * The token endpoint's clock, when it refused an assertion for its `exp` (`400 invalid_grant`,
 * "Please check the 'exp' claim."): this machine's clock is off, and the answer's `Date` says by
 * how much.
 */
function endpointClock(error: unknown): number | undefined {
  if (!isBoxClientError(error) || error.status !== 400 || error.boxCode !== 'invalid_grant' || !/\bexp\b/.test(error.boxMessage ?? '')) {
    return undefined;
  }
  const date = Date.parse(String(error.response?.headers?.['date']));
  return Number.isFinite(date) ? date : undefined;
}

/**
 * The refresh function of a JWT app, Box's other server-auth method beside CCG: a new access
 * token for an assertion signed RS256 with the app's private key (JWT issues no refresh token).
 * Takes Box's downloaded app config as it is (`config`), or its fields flat. Every field is
 * checked here, the private key decrypted, before any request: a TypeError names the first bad
 * one, never showing a secret. An assertion refused for its `exp` (this machine's clock is off)
 * is signed again once, on the token endpoint's clock, as Box's SDKs do. Node only.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import axios from 'axios';
 * import { attachBoxStatus, createBoxAuth } from 'axios-box-status';
 * import { boxJwtGrant } from 'axios-box-status/jwt';
 *
 * const auth = createBoxAuth({
 *   refresh: boxJwtGrant({ config: JSON.parse(readFileSync('config.json', 'utf8')) }),
 * });
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box, { auth });
 * ```
 */
export function boxJwtGrant(options: BoxJwtGrantOptions): BoxTokenRefresher {
  const settings = jwtSettings(options);
  const { clientId, clientSecret, tokenUrl } = settings;
  const client = tokenClient();
  /** The assertions of the latest refresh (one per attempt): scrubbed from errors, should an endpoint echo one. */
  let assertions: string[] = [];
  /**
   * Each attempt signs an assertion of its own, on the endpoint's clock as far as it is known (`aheadMs`
   * of this one's): Box refuses a jti it has seen, and an exp gone by the time a retry is sent. A JWT
   * request spends nothing Box keeps: it may be cut short and sent again.
   */
  const post = (aheadMs: number, signal: AbortSignal) =>
    requestToken(
      client,
      tokenUrl,
      (sendAtMs) => {
        const assertion = signAssertion(settings, sendAtMs + aheadMs);
        assertions.push(assertion);
        return { grant_type: JWT_BEARER, client_id: clientId, client_secret: clientSecret, assertion };
      },
      signal,
      false,
    );
  return grant(
    async (_context, signal) => {
      assertions = [];
      const data = await post(0, signal).catch((error: unknown) => {
        const now = endpointClock(error);
        if (now === undefined) throw error;
        return post(now - Date.now(), signal);
      });
      return { accessToken: data.access_token, expiresIn: expiresIn(data) };
    },
    () => [clientSecret, ...settings.keySecrets, ...assertions],
  );
}

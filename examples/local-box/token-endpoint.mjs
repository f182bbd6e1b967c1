// Box's token endpoint (POST /oauth2/token), played by the local server: the Client Credentials
// Grant, the refresh-token grant (single-use refresh tokens, rotated on each use, as Box's) and the
// JWT grant (the RS256 assertion verified with the app's public key, every claim Box checks).

import { randomBytes, verify } from 'node:crypto';
import { oauthError } from './replies.mjs';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const HOUR_S = 3600;

/**
 * @param {{ credentials: import('./server.mjs').LocalBoxCredentials, tokenUrl: string, issue: () => string }} options
 * @returns {(body: Buffer) => import('./replies.mjs').Reply}
 */
export function createTokenEndpoint({ credentials, tokenUrl, issue }) {
  let refreshToken = credentials.refreshToken;
  /** `jti`s seen: Box refuses an assertion id it has seen. */
  const seenJti = new Set();
  const granted = (/** @type {string} */ note, /** @type {object} */ extra = {}) => ({
    status: 200,
    body: { access_token: issue(), expires_in: HOUR_S, token_type: 'bearer', restricted_to: [], ...extra },
    note,
  });

  return (body) => {
    const form = new URLSearchParams(body.toString('utf8'));
    if (form.get('client_id') !== credentials.clientId || form.get('client_secret') !== credentials.clientSecret) {
      return oauthError('invalid_client', 'The client credentials are invalid');
    }
    switch (form.get('grant_type')) {
      case 'client_credentials':
        if (form.get('box_subject_type') !== 'enterprise' || form.get('box_subject_id') !== credentials.enterpriseId) {
          return oauthError('invalid_grant', 'Grant credentials are invalid');
        }
        return granted('client_credentials');
      case 'refresh_token': {
        if (form.get('refresh_token') !== refreshToken) return oauthError('invalid_grant', 'Invalid refresh token');
        refreshToken = `refresh-${randomBytes(12).toString('hex')}`;
        return granted('refresh_token', { refresh_token: refreshToken });
      }
      case JWT_BEARER: {
        const refused = checkAssertion(form.get('assertion') ?? '', credentials, tokenUrl, seenJti);
        return refused ? oauthError('invalid_grant', refused) : granted('jwt-bearer');
      }
      default:
        return oauthError('unsupported_grant_type', 'Grant type is not supported');
    }
  };
}

/** Why Box would refuse this assertion, or undefined when it would take it. */
function checkAssertion(
  /** @type {string} */ assertion,
  /** @type {import('./server.mjs').LocalBoxCredentials} */ credentials,
  /** @type {string} */ tokenUrl,
  /** @type {Set<string>} */ seenJti,
) {
  const [header, claims, signature] = assertion.split('.');
  if (header === undefined || claims === undefined || signature === undefined) return 'The assertion is not a JWT';
  const signed = verify('sha256', Buffer.from(`${header}.${claims}`), credentials.publicKey, Buffer.from(signature, 'base64url'));
  if (!signed) return 'Signature verification error. The public key identified by "kid" must correspond to the private key used for signing.';
  const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  const claim = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8'));
  if (head.alg !== 'RS256' || head.kid !== credentials.publicKeyId) return 'Please check the \'kid\' header.';
  if (claim.iss !== credentials.clientId) return 'Please check the \'iss\' claim.';
  if (claim.aud !== tokenUrl) return 'Please check the \'aud\' claim.';
  if (claim.box_sub_type !== 'enterprise' || claim.sub !== credentials.enterpriseId) return 'Please check the \'sub\' claim.';
  const now = Date.now() / 1000;
  if (typeof claim.exp !== 'number' || claim.exp <= now || claim.exp > now + 60) return 'Please check the \'exp\' claim.';
  if (typeof claim.jti !== 'string' || claim.jti.length < 16 || claim.jti.length > 128 || seenJti.has(claim.jti)) {
    return 'Please check the \'jti\' claim.';
  }
  seenJti.add(claim.jti);
  return undefined;
}

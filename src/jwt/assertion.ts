import { randomBytes, sign } from 'node:crypto';
import type { JwtSettings } from './jwt-config.js';

/** How long an assertion is good for: Box refuses one whose `exp` is more than 60 s ahead of its clock. */
const LIFETIME_S = 30;

const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The JWT Box's token endpoint takes for `settings`, signed RS256 with the app's private key,
 * expiring LIFETIME_S after `nowMs` (the endpoint's clock, as far as this process knows it): the
 * header names the public key (`kid`); the claims are the ones Box reads and no others, `jti` a
 * fresh random id (Box refuses one it has seen).
 */
export function signAssertion(settings: JwtSettings, nowMs: number): string {
  const header = { alg: 'RS256', typ: 'JWT', kid: settings.publicKeyId };
  const claims = {
    iss: settings.clientId,
    sub: settings.subjectId,
    box_sub_type: settings.subjectType,
    aud: settings.tokenUrl,
    jti: randomBytes(24).toString('base64url'),
    exp: Math.floor(nowMs / 1000) + LIFETIME_S,
  };
  const signed = `${part(header)}.${part(claims)}`;
  return `${signed}.${sign('sha256', Buffer.from(signed), settings.key).toString('base64url')}`;
}

// Box's JWT grant (axios-box-status/jwt) against a local token endpoint that verifies the RS256
// assertion with the app's public key and checks every claim, as Box's does. The key pair is made
// here by node:crypto: an encrypted PKCS#8 private key with its passphrase, as Box's config has.
import { generateKeyPairSync, verify } from 'node:crypto';
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import { attachBoxStatus, createBoxAuth, isBoxAuthRefreshError, isBoxClientError } from '../../src/index.js';
import { boxJwtGrant, type BoxAppConfig, type BoxJwtGrantOptions } from '../../src/jwt/index.js';
import { ok, type LoggedRequest, type Reply } from '../helpers/box-server.js';
import { rejection } from '../helpers/client.js';
import { shownSecrets } from '../helpers/renderings.js';
import { form, useTokenWorld } from '../helpers/token-world.js';

const world = useTokenWorld();

const CLIENT_ID = 'jwt-client-id-0a1b2c';
const CLIENT_SECRET = 'jwt-client-secret-9z8y7x';
const PASSPHRASE = 'correct horse battery staple 42';
const KEY_ID = 'public-key-id-5566';
const ENTERPRISE = '987654';
const { publicKey, privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE },
});

/** The app config as the Developer Console downloads it, read back from its JSON text. */
const appConfig = (): BoxAppConfig =>
  JSON.parse(
    JSON.stringify({
      boxAppSettings: { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, appAuth: { publicKeyID: KEY_ID, privateKey, passphrase: PASSPHRASE } },
      enterpriseID: ENTERPRISE,
      webhooks: {},
    }),
  ) as BoxAppConfig;

const decode = (part: string | undefined): Record<string, unknown> => JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));

interface Checked {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** What was wrong with the request, empty when Box would take it. */
  faults: string[];
}

/** Check a token request as Box does: the form, the signature with the public key, every claim, `exp` against `nowMs`. */
function check(request: LoggedRequest, nowMs: number, expected: { sub: string; type: string }): Checked {
  const fields = form(request);
  const faults: string[] = [];
  const [header64, claims64, signature64] = (fields['assertion'] ?? '').split('.');
  const header = decode(header64);
  const claims = decode(claims64);
  if (fields['grant_type'] !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') faults.push('grant_type');
  if (fields['client_id'] !== CLIENT_ID || fields['client_secret'] !== CLIENT_SECRET) faults.push('client');
  if (!verify('sha256', Buffer.from(`${header64}.${claims64}`), publicKey, Buffer.from(signature64 ?? '', 'base64url'))) faults.push('signature');
  if (JSON.stringify(header) !== JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: KEY_ID })) faults.push('header');
  if (Object.keys(claims).sort().join() !== 'aud,box_sub_type,exp,iss,jti,sub') faults.push('claims');
  if (claims['iss'] !== CLIENT_ID || claims['sub'] !== expected.sub || claims['box_sub_type'] !== expected.type) faults.push('subject');
  if (claims['aud'] !== world.tokenUrl) faults.push('aud');
  if (typeof claims['jti'] !== 'string' || claims['jti'].length < 16 || claims['jti'].length > 128) faults.push('jti');
  const exp = claims['exp'] as number;
  if (!Number.isInteger(exp) || exp * 1000 <= nowMs || exp * 1000 > nowMs + 60_000) faults.push('exp');
  return { header, claims, faults };
}

/** Box's token endpoint, on a clock `skewMs` ahead of this machine's; every request checked. */
function boxTokenEndpoint(expected = { sub: ENTERPRISE, type: 'enterprise' }, skewMs = 0) {
  const checked: Checked[] = [];
  world.tokens.script('/oauth2/token', (_count, request): Reply => {
    const now = Date.now() + skewMs;
    const result = check(request, now, expected);
    checked.push(result);
    const date = new Date(now).toUTCString();
    if (result.faults.includes('exp')) {
      return { status: 400, headers: { date }, body: { error: 'invalid_grant', error_description: "Please check the 'exp' claim." } };
    }
    if (result.faults.length > 0) return { status: 400, body: { error: 'invalid_grant', error_description: result.faults.join(', ') } };
    return { status: 200, headers: { date }, body: { access_token: world.mint(), expires_in: 3600, token_type: 'bearer', restricted_to: [] } };
  });
  return checked;
}

const grantFor = (options: Partial<BoxJwtGrantOptions> = {}) => boxJwtGrant({ config: appConfig(), tokenUrl: world.tokenUrl, ...options });
const signal = () => new AbortController().signal;

describe('boxJwtGrant', () => {
  it("Box's downloaded config as it is: an RS256 assertion the public key verifies, every claim as Box reads it", async () => {
    const checked = boxTokenEndpoint();
    const token = await grantFor()({ reason: 'missing', signal: signal() });
    expect(token).toEqual({ accessToken: expect.stringMatching(/^token-1-/), expiresIn: 3600 });
    expect(checked).toHaveLength(1);
    expect(checked[0]?.faults).toEqual([]);
    expect(world.tokenRequests()[0]?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
  });

  it('flat fields, a user as the subject, a fresh jti each time', async () => {
    const checked = boxTokenEndpoint({ sub: '33', type: 'user' });
    const refresh = boxJwtGrant({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      publicKeyId: KEY_ID,
      privateKey,
      passphrase: PASSPHRASE,
      subjectType: 'user',
      subjectId: '33',
      tokenUrl: world.tokenUrl,
    });
    await refresh({ reason: 'missing', signal: signal() });
    await refresh({ reason: 'expiring', signal: signal() });
    expect(checked.map((c) => c.faults)).toEqual([[], []]);
    expect(checked[0]?.claims['jti']).not.toBe(checked[1]?.claims['jti']);
  });

  it('a key whose newlines came through an environment variable as "\\n" is read all the same', async () => {
    const checked = boxTokenEndpoint();
    await grantFor({ privateKey: privateKey.replace(/\n/g, '\\n') })({ reason: 'missing', signal: signal() });
    expect(checked[0]?.faults).toEqual([]);
  });

  it('an encrypted PKCS#1 key (BEGIN RSA PRIVATE KEY, Proc-Type) and a numeric enterpriseID serve as well', async () => {
    const checked = boxTokenEndpoint();
    const pkcs1 = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE },
    });
    expect(pkcs1.privateKey).toContain('Proc-Type: 4,ENCRYPTED');
    const config = appConfig();
    config.boxAppSettings.appAuth.privateKey = pkcs1.privateKey;
    config.enterpriseID = Number(ENTERPRISE);
    await rejection(boxJwtGrant({ config, tokenUrl: world.tokenUrl })({ reason: 'missing', signal: signal() }));
    // Signed with the other key: only the signature is wrong, the claims are all there.
    expect(checked[0]?.faults).toEqual(['signature']);
    expect(() => boxJwtGrant({ config: { ...config, boxAppSettings: { ...config.boxAppSettings, appAuth: { ...config.boxAppSettings.appAuth, passphrase: undefined } } }, tokenUrl: world.tokenUrl })).toThrow(
      /boxJwtGrant\.passphrase must be set: boxJwtGrant\.config\.boxAppSettings\.appAuth\.privateKey is encrypted/,
    );
  });

  it.each<[string, Reply]>([
    ['a 429', { status: 429, headers: { 'retry-after': '0' } }],
    ['a 503', { status: 503, body: { error: 'temporarily_unavailable' } }],
    ['a reset connection', { destroy: true }],
  ])('%s before the token: the attempt after it posts an assertion of its own (a fresh jti), which Box takes', async (_label, first) => {
    const checked: Checked[] = [];
    const seen = new Set<unknown>();
    world.tokens.script('/oauth2/token', (count, request): Reply => {
      const result = check(request, Date.now(), { sub: ENTERPRISE, type: 'enterprise' });
      checked.push(result);
      // Box refuses a jti it has seen within its lifetime, whatever it answered the first time.
      const reused = seen.has(result.claims['jti']);
      seen.add(result.claims['jti']);
      if (count === 1) return first;
      if (reused) return { status: 400, body: { error: 'invalid_grant', error_description: 'Please check the jti claim.' } };
      if (result.faults.length > 0) return { status: 400, body: { error: 'invalid_grant', error_description: result.faults.join(', ') } };
      return { status: 200, body: { access_token: world.mint(), expires_in: 3600 } };
    });
    const token = await grantFor()({ reason: 'missing', signal: signal() });
    expect(token).toMatchObject({ accessToken: expect.stringMatching(/^token-1-/) });
    expect(checked.map((c) => c.faults)).toEqual([[], []]);
    expect(seen.size).toBe(2);
    expect(checked[1]?.claims['exp']).toBeGreaterThanOrEqual(checked[0]?.claims['exp'] as number);
  });

  it('under createBoxAuth: one token for concurrent calls, sent to the API', async () => {
    boxTokenEndpoint();
    world.script('/users/me', [ok]);
    const instance = axios.create({ baseURL: world.api.url });
    attachBoxStatus(instance, { auth: createBoxAuth({ origins: [world.api.url], refresh: grantFor() }) });
    const results = await Promise.all([instance.get('/users/me'), instance.get('/users/me'), instance.get('/users/me')]);
    expect(results.map((res) => res.status)).toEqual([200, 200, 200]);
    expect(world.tokenRequests()).toHaveLength(1);
  });

  it("this machine's clock 10 minutes behind: the 'exp' refusal is tried once more on the endpoint's Date, and succeeds", async () => {
    const checked = boxTokenEndpoint(undefined, 600_000);
    const token = await grantFor()({ reason: 'missing', signal: signal() });
    expect(token).toMatchObject({ accessToken: expect.stringMatching(/^token-/) });
    expect(checked.map((c) => c.faults)).toEqual([['exp'], []]);
  });

  it('a clock that is off and an endpoint whose Date does not help: one more try only, then the refusal', async () => {
    world.tokens.script('/oauth2/token', [{ status: 400, headers: { date: new Date(0).toUTCString() }, body: { error: 'invalid_grant', error_description: "Please check the 'exp' claim." } }]);
    const error = await rejection(grantFor()({ reason: 'missing', signal: signal() }));
    expect(isBoxClientError(error)).toBe(true);
    expect(error.boxMessage).toBe("Please check the 'exp' claim.");
    expect(world.tokenRequests()).toHaveLength(2);
  });

  it.each<[string, Reply]>([
    ['an invalid_grant about anything else', { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT signature' } }],
    ['an invalid_grant without a description', { status: 400, body: { error: 'invalid_grant' } }],
    ['another error about exp', { status: 400, body: { error: 'invalid_request', error_description: "Please check the 'exp' claim." } }],
    ['a 401', { status: 401, body: { error: 'invalid_client', error_description: "Please check the 'exp' claim." } }],
  ])('%s is not tried again', async (_label, reply) => {
    world.tokens.script('/oauth2/token', [reply]);
    await rejection(grantFor()({ reason: 'missing', signal: signal() }));
    expect(world.tokenRequests()).toHaveLength(1);
  });

  it('abandoned (refreshTimeoutMs): its request is cut, as nothing Box keeps is spent', async () => {
    world.tokens.script('/oauth2/token', [{ hang: true }]);
    const auth = createBoxAuth({ origins: [world.api.url], refresh: grantFor(), refreshTimeoutMs: 100 });
    await expect(auth.token()).rejects.toMatchObject({ timedOutAfterMs: 100 });
    while (world.tokenRequests()[0]?.closedAt === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(world.tokenRequests()).toHaveLength(1);
  });
});

describe('boxJwtGrant: every secret kept out of every rendering', () => {
  const secrets = () => [CLIENT_SECRET, PASSPHRASE, privateKey.split('\n')[1] as string];

  it('an endpoint that echoes the assertion and the secret in its refusal', async () => {
    world.tokens.script('/oauth2/token', (_count, request) => {
      const fields = form(request);
      return { status: 400, body: { error: 'invalid_grant', error_description: `bad ${fields['assertion']} for ${fields['client_secret']}` } };
    });
    world.script('/files/1', [ok]);
    const instance = axios.create({ baseURL: world.api.url });
    attachBoxStatus(instance, { auth: createBoxAuth({ origins: [world.api.url], refresh: grantFor(), initialToken: 'stale-token-000000' }) });
    const error = await rejection(instance.get('/files/1'));
    expect(isBoxAuthRefreshError(error)).toBe(true);
    const assertions = world.tokenRequests().map((request) => form(request)['assertion'] as string);
    expect(assertions).toHaveLength(1);
    expect(error.message).toContain('bad [REDACTED] for [REDACTED]');
    expect(shownSecrets(error, [...secrets(), ...assertions, 'stale-token-000000'])).toEqual([]);
  });

  it('a request cut short (its config holds the form: the secret and the assertion)', async () => {
    world.tokens.script('/oauth2/token', [{ hang: true }]);
    const controller = new AbortController();
    const pending = rejection(grantFor()({ reason: 'missing', signal: controller.signal }));
    while (world.tokenRequests().length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    controller.abort();
    const error = await pending;
    expect(axios.isCancel(error)).toBe(true);
    const sent = form(world.tokenRequests()[0])['assertion'] as string;
    expect(new URLSearchParams(error.config.data as string).get('assertion')).toBe(sent);
    expect(shownSecrets(error, [...secrets(), sent])).toEqual([]);
  });
});

describe('boxJwtGrant: a TypeError naming each bad field, before any request, showing no secret', () => {
  const withApp = (change: (config: any) => void): { config: unknown } => {
    const config = appConfig();
    change(config);
    return { config };
  };
  const name = 'axios-box-status: boxJwtGrant';
  const cases: Array<[string, () => unknown, string]> = [
    ['options not an object', () => 'config.json', `${name} must be an object, received "config.json"`],
    ['an unknown option', () => ({ config: appConfig(), enterpriseId: '1' }), `axios-box-status: unknown option boxJwtGrant.enterpriseId (known: config, clientId, clientSecret, publicKeyId, privateKey, passphrase, subjectType, subjectId, tokenUrl)`],
    ['config not an object (the file name, not its JSON)', () => ({ config: './config.json' }), `${name}.config must be an object, as in Box's app config, received "./config.json"`],
    ['no boxAppSettings', () => withApp((c) => delete c.boxAppSettings), `${name}.config.boxAppSettings must be an object, as in Box's app config, received undefined`],
    ['no clientID', () => withApp((c) => delete c.boxAppSettings.clientID), `${name}.clientId must be set (or boxAppSettings.clientID in config), received undefined`],
    ['an empty clientID', () => withApp((c) => (c.boxAppSettings.clientID = '')), `${name}.config.boxAppSettings.clientID must be a non-empty string, received ""`],
    ['no clientSecret', () => withApp((c) => delete c.boxAppSettings.clientSecret), `${name}.clientSecret must be set (or boxAppSettings.clientSecret in config), received undefined`],
    ['a clientSecret that is no string', () => withApp((c) => (c.boxAppSettings.clientSecret = 42)), `${name}.config.boxAppSettings.clientSecret must be a non-empty string, received number`],
    ['no appAuth', () => withApp((c) => delete c.boxAppSettings.appAuth), `${name}.config.boxAppSettings.appAuth must be an object, as in Box's app config, received undefined`],
    ['no publicKeyID', () => withApp((c) => delete c.boxAppSettings.appAuth.publicKeyID), `${name}.publicKeyId must be set (or boxAppSettings.appAuth.publicKeyID in config), received undefined`],
    ['no privateKey', () => withApp((c) => delete c.boxAppSettings.appAuth.privateKey), `${name}.privateKey must be set (or boxAppSettings.appAuth.privateKey in config), received undefined`],
    ['a privateKey that is no PEM', () => withApp((c) => (c.boxAppSettings.appAuth.privateKey = 'MIIE-not-a-pem')), `${name}.config.boxAppSettings.appAuth.privateKey must be a PEM private key (-----BEGIN ENCRYPTED PRIVATE KEY----- ...), received a string of 14 characters`],
    ['a public key for the private one', () => withApp((c) => (c.boxAppSettings.appAuth.privateKey = publicKey)), `${name}.config.boxAppSettings.appAuth.privateKey must be a PEM private key (-----BEGIN ENCRYPTED PRIVATE KEY----- ...), received a string of ${publicKey.length} characters`],
    ['a PEM that node:crypto cannot read', () => withApp((c) => (c.boxAppSettings.appAuth.privateKey = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----')), `${name}.config.boxAppSettings.appAuth.privateKey must be a PEM private key that node:crypto can read, received a string of 58 characters`],
    ['no passphrase for an encrypted key', () => withApp((c) => delete c.boxAppSettings.appAuth.passphrase), `${name}.passphrase must be set: boxJwtGrant.config.boxAppSettings.appAuth.privateKey is encrypted, received undefined`],
    ['a passphrase that does not decrypt the key', () => withApp((c) => (c.boxAppSettings.appAuth.passphrase = 'not the passphrase')), `${name}.config.boxAppSettings.appAuth.passphrase must be the passphrase that decrypts boxJwtGrant.config.boxAppSettings.appAuth.privateKey, received a string of 18 characters`],
    ['a passphrase that is no string', () => ({ config: appConfig(), passphrase: 7 }), `${name}.passphrase must be a string, received number`],
    ['a subjectType Box does not know', () => ({ config: appConfig(), subjectType: 'group' }), `${name}.subjectType must be one of 'enterprise', 'user', received "group"`],
    ['a user subject without its id', () => ({ config: appConfig(), subjectType: 'user' }), `${name}.subjectId must be set (the user's id) for subjectType 'user', received undefined`],
    ['no enterpriseID and no subjectId', () => withApp((c) => delete c.enterpriseID), `${name}.subjectId must be set (the enterprise id), or config.enterpriseID, received undefined`],
    ['a tokenUrl in clear off this machine', () => ({ config: appConfig(), tokenUrl: 'http://api.box.com/oauth2/token' }), `${name}.tokenUrl must be an https: URL (http: only on 127.0.0.1, [::1] or localhost), received "http://api.box.com/oauth2/token"`],
  ];

  it.each(cases)('%s', (_label, options, message) => {
    let thrown: unknown;
    try {
      boxJwtGrant(options() as BoxJwtGrantOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toEqual(new TypeError(message));
    expect(shownSecrets(thrown, [CLIENT_SECRET, PASSPHRASE, privateKey.split('\n')[1] as string, 'not the passphrase'])).toEqual([]);
    expect(world.tokens.log).toHaveLength(0);
  });

  it('an EC key: RS256 needs an RSA one', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    expect(() => grantFor({ privateKey: ec.privateKey, passphrase: undefined, config: { ...appConfig(), boxAppSettings: { ...appConfig().boxAppSettings, appAuth: { publicKeyID: KEY_ID, privateKey: ec.privateKey } } } })).toThrow(
      new TypeError(`${name}.privateKey must be an RSA private key (RS256), not an ec one, received a string of ${ec.privateKey.length} characters`),
    );
  });
});

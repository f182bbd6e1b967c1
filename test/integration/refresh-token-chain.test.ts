// Box's refresh tokens are single use: each refresh spends one and issues the next. Whatever
// onTokens or the store does, the grant presents the newest one it has received, and the BoxAuth
// keeps the newest it knows, through a 401 and invalidate(). Against a real local token endpoint
// that refuses a spent refresh token, as Box does.
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import {
  attachBoxStatus,
  boxRefreshTokenGrant,
  createBoxAuth,
  createMemoryStore,
  type BoxAuthRefreshContext,
  type BoxAuthRefreshEvent,
  type BoxStateStore,
  type BoxTokenPair,
} from '../../src/index.js';
import { ok } from '../helpers/box-server.js';
import { rejection } from '../helpers/client.js';
import { shownSecrets } from '../helpers/renderings.js';
import { sleep } from '../helpers/time.js';
import { form, INVALID_GRANT, useTokenWorld } from '../helpers/token-world.js';

const world = useTokenWorld();

/** Box's refresh: the current refresh token gets a new pair (lasting `expiresIn` s); any other, invalid_grant. */
function rotatingEndpoint(expiresIn = 3600): { presented: () => Array<string | undefined> } {
  let issued = 0;
  world.tokens.script('/oauth2/token', (_count, request) => {
    if (form(request)['refresh_token'] !== `refresh-${issued}`) return INVALID_GRANT;
    issued += 1;
    return { status: 200, body: { access_token: world.mint(), expires_in: expiresIn, refresh_token: `refresh-${issued}` } };
  });
  return { presented: () => world.tokenRequests().map((request) => form(request)['refresh_token']) };
}

const grant = (onTokens?: (pair: BoxTokenPair) => void) =>
  boxRefreshTokenGrant({ clientId: 'client-id', clientSecret: 'client-secret-0000', refreshToken: 'refresh-0', tokenUrl: world.tokenUrl, onTokens });

/** Wait for the next refresh this BoxAuth reports. */
async function nextRefresh(events: BoxAuthRefreshEvent[], count: number): Promise<BoxAuthRefreshEvent> {
  while (events.length < count) await sleep(5);
  return events[count - 1] as BoxAuthRefreshEvent;
}

describe('the refresh-token chain', () => {
  it('onTokens throws once during a proactive refresh: the 4 refreshes after it all present the newest refresh token', async () => {
    const { presented } = rotatingEndpoint(0.4);
    let throwOn = 2;
    let pairs = 0;
    const events: BoxAuthRefreshEvent[] = [];
    const auth = createBoxAuth({
      origins: [world.api.url],
      refreshCooldownMs: 20,
      onRefresh: (event) => void events.push(event),
      refresh: grant(() => {
        pairs += 1;
        if (pairs === throwOn) throw new Error('the database is down');
      }),
    });
    await auth.token();
    // Each 0.4 s token is due at half its life: the calls that find it due refresh in the background.
    for (let refresh = 2; refresh <= 6; refresh += 1) {
      await sleep(220);
      await auth.token().catch(() => undefined);
      await nextRefresh(events, refresh);
    }
    throwOn = 0;
    expect(events.map((event) => event.ok)).toEqual([true, false, true, true, true, true]);
    expect(presented()).toEqual(['refresh-0', 'refresh-1', 'refresh-2', 'refresh-3', 'refresh-4', 'refresh-5']);
  }, 10_000);

  it('store.writeToken fails once: the 4 refreshes after it all present the newest refresh token', async () => {
    const { presented } = rotatingEndpoint();
    const memory = createMemoryStore();
    let writes = 0;
    const store: BoxStateStore = {
      ...memory,
      writeToken(key, token) {
        writes += 1;
        if (writes === 2) throw new Error('READONLY You can\'t write against a read only replica.');
        return memory.writeToken(key, token);
      },
    };
    const auth = createBoxAuth({ origins: [world.api.url], refresh: grant(), store, key: 'user-1' });
    const tokens: string[] = [];
    for (let refresh = 0; refresh < 6; refresh += 1) {
      auth.invalidate();
      tokens.push(await auth.token());
    }
    expect(new Set(tokens).size).toBe(6);
    expect(presented()).toEqual(['refresh-0', 'refresh-1', 'refresh-2', 'refresh-3', 'refresh-4', 'refresh-5']);
    expect((memory.readToken('user-1') as { refreshToken: string }).refreshToken).toBe('refresh-6');
  });

  it('the grant presents a refresh token offered to it that it has not spent (another process\'s), never one it has', async () => {
    const { presented } = rotatingEndpoint();
    const refresh = grant();
    const signal = new AbortController().signal;
    await refresh({ reason: 'missing', signal });
    // Another process spends refresh-1, and keeps refresh-2 in the store.
    await axios.post(world.tokenUrl, new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'refresh-1' }));
    await refresh({ reason: 'expiring', refreshToken: 'refresh-2', signal });
    // A store that missed a write offers back one this grant spent: it presents its own, newer one.
    await refresh({ reason: 'expiring', refreshToken: 'refresh-0', signal });
    expect(presented()).toEqual(['refresh-0', 'refresh-1', 'refresh-2', 'refresh-3']);
  });
});

describe('context.refreshToken', () => {
  it('is the newest refresh token after a 401 and after invalidate(), and stays scrubbed', async () => {
    world.script('/files/1', [ok]);
    const contexts: BoxAuthRefreshContext[] = [];
    let issued = 0;
    let failWith: ((context: BoxAuthRefreshContext) => Error) | undefined;
    const auth = createBoxAuth({
      origins: [world.api.url],
      refreshCooldownMs: 0,
      refresh: async (context) => {
        contexts.push(context);
        if (failWith) throw failWith(context);
        issued += 1;
        return { accessToken: world.mint(), expiresIn: 3600, refreshToken: `rotated-refresh-${issued}` };
      },
    });
    const instance = axios.create({ baseURL: world.api.url });
    attachBoxStatus(instance, { auth });
    await instance.get('/files/1');
    // Box stops accepting the token: a 401, a refresh.
    world.valid.clear();
    await instance.get('/files/1');
    auth.invalidate();
    await auth.token();
    expect(contexts.map((context) => [context.reason, context.refreshToken])).toEqual([
      ['missing', undefined],
      ['unauthorized', 'rotated-refresh-1'],
      ['missing', 'rotated-refresh-2'],
    ]);
    // A refresh that fails quoting the refresh token it was handed, after an invalidate().
    auth.invalidate();
    failWith = (context) => new Error(`refresh token ${context.refreshToken} was revoked`);
    const error = await rejection(instance.get('/files/1'));
    expect(error.message).toContain('refresh token [REDACTED] was revoked');
    expect(shownSecrets(error, ['rotated-refresh-3'])).toEqual([]);
  });
});

// axios-retry on the same instance as the plugin is refused, in either order of attaching: its
// interceptor would re-send what the plugin already retried, multiplying the requests of a call.
import axios from 'axios';
import axiosRetry from 'axios-retry';
import { describe, expect, it } from 'vitest';
import { attachBoxStatus } from '../../src/index.js';
import { ok, unavailable, useBoxServer } from '../helpers/box-server.js';
import { rejection } from '../helpers/client.js';

const server = useBoxServer();
const FAST = { baseDelayMs: 1, maxDelayMs: 2, jitter: 'none' } as const;

describe('axios-retry attached to the same instance', () => {
  it.each([
    ['before the plugin', (instance: ReturnType<typeof axios.create>) => {
      axiosRetry(instance, { retries: 3, retryDelay: () => 0 });
      attachBoxStatus(instance, { retry: FAST });
    }],
    ['after the plugin', (instance: ReturnType<typeof axios.create>) => {
      attachBoxStatus(instance, { retry: FAST });
      axiosRetry(instance, { retries: 3, retryDelay: () => 0 });
    }],
  ])('%s: every call rejects with a TypeError that says to remove it, and nothing is sent', async (_order, attach) => {
    server.script('/files/1', [unavailable]);
    const instance = axios.create({ baseURL: server.url });
    attach(instance);
    const error = await rejection(instance.get('/files/1'));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(
      'axios-box-status: remove axios-retry from this instance: the plugin retries already, and two retry layers multiply the requests of every call',
    );
    expect(server.count('/files/1')).toBe(0);
  });

  it('once the plugin is ejected, axios-retry alone works as it does without it', async () => {
    server.script('/files/1', [unavailable, ok]);
    const instance = axios.create({ baseURL: server.url });
    const handle = attachBoxStatus(instance, { retry: FAST });
    axiosRetry(instance, { retries: 3, retryDelay: () => 0 });
    handle.eject();
    const res = await instance.get('/files/1');
    expect(res.status).toBe(200);
    expect(server.count('/files/1')).toBe(2);
  });

  it('axios-retry on another instance is no concern of the plugin', async () => {
    server.script('/files/1', [unavailable, ok]);
    const other = axios.create({ baseURL: server.url });
    axiosRetry(other, { retries: 3, retryDelay: () => 0 });
    const instance = axios.create({ baseURL: server.url });
    attachBoxStatus(instance, { retry: FAST });
    expect((await instance.get('/files/1')).boxStatus?.attempts).toBe(2);
    expect((await other.get('/files/1')).status).toBe(200);
  });
});

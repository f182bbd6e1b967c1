// withBoxStatus and handle.instance: the instance itself, attached, typed so that boxStatus needs
// no check (the types are tested in test/types.test-d.ts).
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import { attachBoxStatus, withBoxStatus } from '../../src/index.js';
import { ok, unavailable, useBoxServer } from '../helpers/box-server.js';

const server = useBoxServer();

describe('withBoxStatus', () => {
  it('attaches with the options given and returns the same instance', async () => {
    server.script('/folders/0', [unavailable, ok]);
    const instance = axios.create({ baseURL: server.url });
    const box = withBoxStatus(instance, { retry: { baseDelayMs: 1, jitter: 'none' } });
    expect(box).toBe(instance);
    const res = await box.get('/folders/0');
    expect(res.boxStatus.attempts).toBe(2);
    expect(res.boxStatus.kind).toBe('success');
  });

  it('validates the options as attachBoxStatus does', () => {
    expect(() => withBoxStatus(axios.create(), { retry: { retries: -1 } })).toThrow(TypeError);
    expect(() => withBoxStatus(axios.create(), { retry: { retries: -1 } })).toThrow(/retry\.retries/);
  });

  it('handle.instance is the instance attached to', async () => {
    server.script('/folders/0', [ok]);
    const instance = axios.create({ baseURL: server.url });
    const handle = attachBoxStatus(instance);
    expect(handle.instance).toBe(instance);
    expect((await handle.instance.get('/folders/0')).boxStatus.attempts).toBe(1);
  });
});

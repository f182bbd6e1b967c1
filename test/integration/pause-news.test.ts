// The news of a pause that reaches a call while it waits on its store: a store that must first
// learn a scope's pause (learnPause), and a pause that arrives while a rate-limit slot is asked
// for. Stores here are BoxStateStores of the test's own over the memory store (the interface is
// public: any object with its methods is a store), so that each moment is the test's to choose.
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import { attachBoxStatus, createMemoryStore, type BoxStateStore } from '../../src/index.js';
import { ok, useBoxServer } from '../helpers/box-server.js';
import { rejection } from '../helpers/client.js';

const server = useBoxServer();

/** The memory store, its methods laid over by `own`. */
function storeWith(own: Partial<BoxStateStore>): BoxStateStore {
  const base = createMemoryStore();
  return {
    pauseMs: (scope) => base.pauseMs(scope),
    pause: (scope, ms) => base.pause(scope, ms),
    acquire: (scope, windows, heedPause) => base.acquire(scope, windows, heedPause),
    readToken: (key) => base.readToken(key),
    writeToken: (key, token) => base.writeToken(key, token),
    lockRefresh: (key, ttlMs, owner) => base.lockRefresh(key, ttlMs, owner),
    unlockRefresh: (key, owner) => base.unlockRefresh(key, owner),
    ...own,
  };
}

describe('a store that must learn a scope\'s pause', () => {
  it('is asked before the first send, and the pause it learns then holds the request', async () => {
    server.script('/files/1', [ok]);
    const asked: string[] = [];
    const store: BoxStateStore = storeWith({
      learnPause(scope) {
        asked.push(scope);
        if (asked.length > 1) return undefined;
        // As a shared store reads a pause that began before it: 300 ms left of it.
        return new Promise<void>((resolve) =>
          setTimeout(() => {
            store.pause(scope, 300);
            resolve();
          }, 20),
        );
      },
    });
    const instance = axios.create({ baseURL: server.url });
    attachBoxStatus(instance, { store });
    const started = performance.now();
    await instance.get('/files/1', { headers: { 'As-User': 'user-3' } });
    expect(asked[0]).toBe('user-3');
    expect((server.log[0]?.receivedAt ?? 0) - started).toBeGreaterThanOrEqual(300);
  });

  it('a cancel while it learns ends the call at once, with nothing sent', async () => {
    server.script('/files/1', [ok]);
    const controller = new AbortController();
    let asked = 0;
    const store = storeWith({
      learnPause() {
        asked += 1;
        // The caller gives up while the store is still reading (a Redis that is slow to answer).
        setTimeout(() => controller.abort(), 20);
        return new Promise<void>(() => {});
      },
    });
    const instance = axios.create({ baseURL: server.url });
    attachBoxStatus(instance, { store });
    const error = await rejection(instance.get('/files/1', { signal: controller.signal }));
    expect(asked).toBe(1);
    expect(axios.isCancel(error)).toBe(true);
    expect(server.log).toHaveLength(0);
  });

  it('is not asked for a request that ignores pauses (shareRateLimit: false)', async () => {
    server.script('/files/1', [ok]);
    let asked = 0;
    const store = storeWith({ learnPause: () => void (asked += 1) });
    const instance = axios.create({ baseURL: server.url });
    attachBoxStatus(instance, { store });
    await instance.get('/files/1', { boxRetry: { shareRateLimit: false } });
    expect(asked).toBe(0);
    await instance.get('/files/1');
    expect(asked).toBe(1);
  });
});

describe('a pause whose news comes while a slot is asked for', () => {
  it('holds the request whose slot was granted meanwhile', async () => {
    server.script('/files/1', [ok]);
    let first = true;
    const store: BoxStateStore = storeWith({
      async acquire(scope, windows, heedPause) {
        const wait = await createMemoryStore().acquire(scope, windows, heedPause);
        // The slot is granted; before the answer reaches the call, another process's pause is heard.
        if (first) store.pause(scope, 300);
        first = false;
        return wait;
      },
    });
    const instance = axios.create({ baseURL: server.url });
    attachBoxStatus(instance, { store, rateLimit: { rules: [{ name: 'calls', max: 100, perMs: 1000 }] } });
    const started = performance.now();
    await instance.get('/files/1');
    expect((server.log[0]?.receivedAt ?? 0) - started).toBeGreaterThanOrEqual(300);
  });
});

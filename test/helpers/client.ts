import axios, { type AxiosInstance, type CreateAxiosDefaults } from 'axios';
import { attachBoxStatus } from '../../src/index.js';
import type { BoxRetryEvent, BoxRetryPolicy, BoxStatusHandle } from '../../src/index.js';
import type { BoxServer } from './box-server.js';

export const TOKEN = 'test-bearer-token-0123456789';

export interface TestClient {
  instance: AxiosInstance;
  handle: BoxStatusHandle;
  /** Every onRetry event, in order. */
  events: BoxRetryEvent[];
}

/**
 * An axios instance on the test server with the plugin attached. Delays are tiny and without
 * jitter unless the test says otherwise, so waits are known exactly and nothing sleeps long.
 */
export function boxClient(
  server: Pick<BoxServer, 'url'>,
  retry: BoxRetryPolicy | false = {},
  defaults: CreateAxiosDefaults = {},
): TestClient {
  const events: BoxRetryEvent[] = [];
  const instance = axios.create({
    baseURL: server.url,
    headers: { Authorization: `Bearer ${TOKEN}` },
    ...defaults,
  });
  const handle = attachBoxStatus(instance, {
    retry:
      retry === false
        ? false
        : {
            baseDelayMs: 1,
            maxDelayMs: 8,
            jitter: 'none',
            ...retry,
            onRetry: async (event) => {
              events.push(event);
              await retry.onRetry?.(event);
            },
          },
  });
  return { instance, handle, events };
}

/** The rejection of a promise that must reject. */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to reject, but it resolved');
}

import { afterEach, beforeEach } from 'vitest';

/**
 * A fresh server (or anything closable) for each test of the calling file, closed after it. The
 * handle forwards to the current one, so a file can declare it once at the top.
 */
export function perTest<T extends { close(): Promise<void> }>(start: () => Promise<T>, what: string): T {
  let current: T | undefined;
  beforeEach(async () => {
    current = await start();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (!current) throw new Error(`${what} runs only inside a test`);
      const value: unknown = Reflect.get(current, key);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}

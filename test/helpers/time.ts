/** Resolve after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The value of a promise and how long it took, in milliseconds. */
export async function timed<T>(promise: Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await promise;
  return [value, performance.now() - started];
}

/** Timers of this process: a wait the plugin forgot to clear shows here. */
export function timers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

/**
 * How late this process's timers run (a loaded machine, another test's work): started now,
 * `stop()` says the most a 1 ms timer ran late since. What a timing bound allows on top of its figure.
 */
export function lagMonitor(): { stop(): number } {
  let most = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    most = Math.max(most, now - last - 1);
    last = now;
  }, 1);
  return {
    stop() {
      clearInterval(timer);
      most = Math.max(most, performance.now() - last - 1);
      return Math.max(0, most);
    },
  };
}

/** What the store needs of a Redis client: one command at a time, and a subscription. */
export interface RedisLink {
  /** Which kind of client it is. */
  readonly kind: 'ioredis' | 'node-redis';
  /** Send a command; `key` routes it on a cluster (the key the command touches). */
  command(args: readonly string[], key?: string): Promise<unknown>;
  /**
   * Subscribe to `channel` on one connection of the store's own, made whatever the app's client
   * is set up with, and kept subscribed: made again after it is lost (on a cluster, to any master).
   */
  subscribe(channel: string, events: SubscriberEvents): Subscriber;
}

export interface SubscriberEvents {
  /** Subscribed, on a connection just made: every message published from now on arrives. */
  live(): void;
  /** The connection is lost: messages published until the next `live()` are missed. */
  lost(): void;
  message(message: string): void;
}

export interface Subscriber {
  /** End it: politely within `withinMs`, then at once, so that Redis not answering holds no one. */
  close(withinMs: number): Promise<void>;
}

/**
 * How long a lost subscriber connection waits before it is made again: soon (sharing is back
 * within a second of Redis), and not in a tight loop while Redis stays away.
 */
export const reconnectDelayMs = (attempt: number): number => Math.min(50 * attempt, 250);

/** One subscriber connection, as the client at hand makes it. */
export interface SubscriberConnection {
  /** End it: politely within `withinMs`, then at once. */
  end(withinMs: number): Promise<void>;
}

/** What a subscriber connection tells of itself. */
export interface ConnectionHooks {
  /** Subscribed: messages arrive from now on. */
  live(): void;
  /** Lost for good (it does not reconnect by itself): a new one is made. */
  ended(): void;
}

/**
 * The subscriber's life, whichever client makes its connection: `open()` makes one (undefined
 * when there is nothing to make it on yet: a cluster not yet connected), and each one that ends is
 * followed by a new one after `reconnectDelayMs`, until `close()`. One connection at a time.
 */
export function keepOpen(events: SubscriberEvents, open: (hooks: ConnectionHooks) => SubscriberConnection | undefined): Subscriber {
  let current: SubscriberConnection | undefined;
  let closed = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const again = (): void => {
    attempt += 1;
    timer = setTimeout(() => {
      timer = undefined;
      start();
    }, reconnectDelayMs(attempt));
  };
  const start = (): void => {
    let over = false;
    current = open({
      live() {
        if (closed) return;
        attempt = 0;
        events.live();
      },
      ended() {
        // node-redis may tell of one end twice (an error, then the failed connect).
        if (over) return;
        over = true;
        current = undefined;
        if (closed) return;
        events.lost();
        again();
      },
    });
    if (!current) again();
  };
  start();
  return {
    async close(withinMs) {
      closed = true;
      clearTimeout(timer);
      await current?.end(withinMs);
    },
  };
}

/** `work`, or nothing after `ms`: whichever comes first. */
export function atMost(work: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([work.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/** Any one of `items`, or undefined when there is none. */
export function pick<T>(items: readonly T[] | undefined): T | undefined {
  return items && items.length > 0 ? items[Math.floor(Math.random() * items.length)] : undefined;
}

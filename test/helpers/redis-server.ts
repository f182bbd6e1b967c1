// A real redis-server (Debian's) on a unix socket in a temp dir of its own: the examples' own
// helper (examples/redis-server.mjs), typed for the tests.
// @ts-expect-error -- a plain ES module of the examples, without types
import { startRedis as start } from '../../examples/redis-server.mjs';

export interface RedisServer {
  /** The socket path clients connect to. */
  readonly socket: string;
  /** Kill it at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Freeze it (SIGSTOP): its connections stay open and nothing is answered. */
  stop(): void;
  /** Thaw it (SIGCONT): what it was sent meanwhile is answered. */
  resume(): void;
  /** Start it again on the same socket, empty. */
  restart(): Promise<void>;
  /** Stop it and remove its dir. */
  close(): Promise<void>;
}

export const startRedis = start as () => Promise<RedisServer>;

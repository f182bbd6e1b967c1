import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real redis-server (Debian's), on a unix socket in a temp dir of its own. */
export interface RedisServer {
  /** The socket path clients connect to. */
  readonly socket: string;
  /** Kill it at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Start it again on the same socket, empty. */
  restart(): Promise<void>;
  /** Stop it and remove its dir. */
  close(): Promise<void>;
}

const READY_WITHIN_MS = 5000;

/** Whether a PING on the socket gets PONG. */
function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const connection = net.connect(socket);
    const done = (ok: boolean): void => {
      connection.destroy();
      resolve(ok);
    };
    connection.once('error', () => done(false));
    connection.once('data', (data) => done(String(data).startsWith('+PONG')));
    connection.write('PING\r\n');
  });
}

function launch(socket: string): ChildProcess {
  const child = spawn(
    process.env['REDIS_SERVER'] ?? 'redis-server',
    ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.once('error', () => {});
  return child;
}

async function ready(socket: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + READY_WITHIN_MS;
  let failed: unknown;
  child.once('error', (error) => {
    failed = error;
  });
  while (Date.now() < until) {
    if (failed) {
      throw new Error('redis-server did not start: install it (apt-get install redis-server) or set REDIS_SERVER', {
        cause: failed,
      });
    }
    if (await ping(socket)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server did not answer on ${socket} within ${READY_WITHIN_MS} ms`);
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startRedis(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'box-redis-'));
  const socket = join(dir, 'redis.sock');
  let child = launch(socket);
  await ready(socket, child);
  return {
    socket,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async restart() {
      await rm(socket, { force: true });
      child = launch(socket);
      await ready(socket, child);
    },
    async close() {
      child.kill('SIGTERM');
      await exited(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

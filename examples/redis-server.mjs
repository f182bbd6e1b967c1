// A throwaway redis-server (Debian's, or $REDIS_SERVER) on a unix socket in a temp dir of its own:
// no port, no persistence, gone when closed. Used by examples/fleet.mjs, the benchmark and the tests.
//
//   const redis = await startRedis();   // throws RedisMissingError when redis-server is not installed
//   redis.socket; await redis.kill(); await redis.restart(); await redis.close();

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const READY_WITHIN_MS = 5000;

/** redis-server could not be started at all: not installed, or $REDIS_SERVER is wrong. */
export class RedisMissingError extends Error {
  name = 'RedisMissingError';
}

/** Whether a PING on the socket gets PONG. */
function ping(socket) {
  return new Promise((resolve) => {
    const connection = net.connect(socket);
    const done = (ok) => {
      connection.destroy();
      resolve(ok);
    };
    connection.once('error', () => done(false));
    connection.once('data', (data) => done(String(data).startsWith('+PONG')));
    connection.write('PING\r\n');
  });
}

function launch(socket) {
  const child = spawn(
    process.env.REDIS_SERVER ?? 'redis-server',
    ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.once('error', () => {});
  return child;
}

async function ready(socket, child) {
  const until = Date.now() + READY_WITHIN_MS;
  let failed;
  child.once('error', (error) => {
    failed = error;
  });
  while (Date.now() < until) {
    if (failed) {
      throw new RedisMissingError('redis-server did not start: install it (apt-get install redis-server) or set REDIS_SERVER', {
        cause: failed,
      });
    }
    if (await ping(socket)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server did not answer on ${socket} within ${READY_WITHIN_MS} ms`);
}

function exited(child) {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * @returns {Promise<{ socket: string, kill(): Promise<void>, stop(): void, resume(): void, restart(): Promise<void>, close(): Promise<void> }>}
 *   kill: SIGKILL, as a crash would; stop: SIGSTOP, frozen (connections open, no answers); resume:
 *   SIGCONT; restart: start it again on the same socket, empty; close: stop it and remove its dir.
 */
export async function startRedis() {
  const dir = await mkdtemp(join(tmpdir(), 'box-redis-'));
  const socket = join(dir, 'redis.sock');
  let child = launch(socket);
  try {
    await ready(socket, child);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    socket,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    // SIGSTOP: it holds every connection open and answers nothing, as a frozen host or a network
    // gone quiet; SIGCONT: it answers again (what it was sent meanwhile included).
    stop() {
      child.kill('SIGSTOP');
    },
    resume() {
      child.kill('SIGCONT');
    },
    async restart() {
      await rm(socket, { force: true });
      child = launch(socket);
      await ready(socket, child);
    },
    async close() {
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      await exited(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

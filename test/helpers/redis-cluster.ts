// A real Redis Cluster of three masters (Debian's redis-server in cluster mode, no replicas) on
// 127.0.0.1, in a temp dir of its own: a cluster needs TCP, so each node takes two free ports (its
// own and its cluster bus). The slots are split and the nodes joined with plain cluster commands
// (CLUSTER ADDSLOTSRANGE, CLUSTER MEET), so redis-cli is not needed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface ClusterNode {
  readonly host: string;
  readonly port: number;
}

export interface RedisCluster {
  /** Its masters, each owning a third of the slots. */
  readonly nodes: readonly ClusterNode[];
  /** Stop every node and remove the dir. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const SLOTS = 16_384;
const READY_WITHIN_MS = 15_000;

/** A port nothing listens on now (taken by the node a moment later: a clash is retried). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

/** One node on two free ports, answering PING; tried again on other ports when one was taken meanwhile. */
async function startNode(dir: string, index: number): Promise<{ node: ClusterNode; bus: number; child: ChildProcess }> {
  for (let attempt = 1; ; attempt += 1) {
    const [port, bus] = [await freePort(), await freePort()];
    const child = spawn(
      process.env.REDIS_SERVER ?? 'redis-server',
      [
        '--port', String(port), '--bind', HOST, '--cluster-enabled', 'yes', '--cluster-port', String(bus),
        '--cluster-config-file', join(dir, `nodes-${index}-${attempt}.conf`), '--cluster-node-timeout', '5000',
        '--dir', dir, '--save', '', '--appendonly', 'no', '--loglevel', 'warning',
      ],
      { stdio: 'ignore' },
    );
    child.once('error', () => {});
    const client = new Redis({ host: HOST, port, lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: 0 });
    client.on('error', () => {});
    const until = Date.now() + 5000;
    let up = false;
    while (!up && Date.now() < until && child.exitCode === null) {
      up = await client.ping().then(() => true, () => false);
      if (!up) await new Promise((resolve) => setTimeout(resolve, 30));
    }
    client.disconnect();
    if (up) return { node: { host: HOST, port }, bus, child };
    child.kill('SIGKILL');
    await exited(child);
    if (attempt >= 5) throw new Error('a cluster node did not start (is redis-server installed?)');
  }
}

/** Three masters, the slots split between them, joined, each seeing the whole cluster as ok. */
export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'box-redis-cluster-'));
  const children: ChildProcess[] = [];
  const close = async (): Promise<void> => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(children.map(exited));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const nodes: ClusterNode[] = [];
    const buses: number[] = [];
    for (let index = 0; index < 3; index += 1) {
      const { node, bus, child } = await startNode(dir, index);
      nodes.push(node);
      buses.push(bus);
      children.push(child);
    }
    const admins = nodes.map((node) => new Redis({ ...node, maxRetriesPerRequest: 1 }));
    try {
      await Promise.all(
        admins.map((admin, i) => {
          const first = Math.floor((SLOTS * i) / 3);
          const last = Math.floor((SLOTS * (i + 1)) / 3) - 1;
          return admin.call('CLUSTER', 'ADDSLOTSRANGE', String(first), String(last));
        }),
      );
      // Each bus port is its own (not the node's port + 10000): MEET names it.
      for (let i = 1; i < nodes.length; i += 1) {
        const node = nodes[i] as ClusterNode;
        await (admins[0] as Redis).call('CLUSTER', 'MEET', node.host, String(node.port), String(buses[i]));
      }
      const until = Date.now() + READY_WITHIN_MS;
      for (;;) {
        const infos = await Promise.all(admins.map((admin) => admin.call('CLUSTER', 'INFO') as Promise<string>));
        if (infos.every((info) => /cluster_state:ok/.test(info) && /cluster_known_nodes:3/.test(info) && /cluster_slots_ok:16384/.test(info))) break;
        if (Date.now() > until) throw new Error(`the cluster did not form within ${READY_WITHIN_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      for (const admin of admins) admin.disconnect();
    }
    return { nodes, close };
  } catch (error) {
    await close();
    throw error;
  }
}

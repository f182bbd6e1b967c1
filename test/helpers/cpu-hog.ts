// A CPU-bound process beside a test: a busy loop in a process of its own, running before this
// resolves (it says so once its loop is about to start), killed by stop().
import { spawn } from 'node:child_process';

const LOOP = `process.send('spinning'); for (;;) {}`;

export interface CpuHog {
  stop(): Promise<void>;
}

export async function startCpuHog(): Promise<CpuHog> {
  const child = spawn(process.execPath, ['-e', LOOP], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the CPU hog exited with ${code}`)));
  });
  return {
    async stop() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

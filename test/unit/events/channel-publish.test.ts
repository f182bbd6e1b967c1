// How the plugin reaches node:diagnostics_channel: through process.getBuiltinModule, opened once,
// at the first publication. Each case loads a fresh copy of the module.
import diagnostics_channel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BOX_CHANNELS } from '../../../src/events/channels.js';

type Runtime = { getBuiltinModule?: ((id: string) => unknown) | undefined };
const runtime = process as unknown as Runtime;
const original = runtime.getBuiltinModule;

afterEach(() => {
  runtime.getBuiltinModule = original;
});

async function freshListened(): Promise<typeof import('../../../src/events/publish.js').listened> {
  vi.resetModules();
  return (await import('../../../src/events/publish.js')).listened;
}

describe('listened', () => {
  it('a channel with a subscriber, the very one diagnostics_channel has; none without', async () => {
    const listened = await freshListened();
    expect(listened('pause')).toBeUndefined();
    const onMessage = (): void => {};
    diagnostics_channel.subscribe(BOX_CHANNELS.pause, onMessage);
    try {
      expect(listened('pause')).toBe(diagnostics_channel.channel(BOX_CHANNELS.pause));
      expect(listened('wait')).toBeUndefined();
    } finally {
      diagnostics_channel.unsubscribe(BOX_CHANNELS.pause, onMessage);
    }
    expect(listened('pause')).toBeUndefined();
  });

  it('asks the runtime once, at the first publication, for node:diagnostics_channel', async () => {
    const asked: string[] = [];
    runtime.getBuiltinModule = (id) => {
      asked.push(id);
      return original?.call(process, id);
    };
    const listened = await freshListened();
    expect(asked).toEqual([]);
    listened('retry');
    listened('giveUp');
    expect(asked).toEqual(['node:diagnostics_channel']);
  });

  it.each([
    ['missing', undefined],
    ['throwing', () => {
      throw new Error('no builtins here');
    }],
    ['finding no such module', () => undefined],
    ['giving something else', () => ({ channel: 'not a function' })],
  ])('process.getBuiltinModule %s: no channel, even with a subscriber, and no error', async (_what, stand) => {
    runtime.getBuiltinModule = stand as Runtime['getBuiltinModule'];
    const onMessage = (): void => {};
    diagnostics_channel.subscribe(BOX_CHANNELS.retry, onMessage);
    try {
      const listened = await freshListened();
      expect(listened('retry')).toBeUndefined();
    } finally {
      diagnostics_channel.unsubscribe(BOX_CHANNELS.retry, onMessage);
    }
  });
});

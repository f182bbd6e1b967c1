import { BOX_CHANNELS, type BoxChannel } from './channels.js';

/** What the plugin uses of a `diagnostics_channel` Channel. */
interface Channel {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
}

type Channels = { readonly [K in BoxChannel]?: Channel | undefined };

/** The channels, opened at the first publication; empty where the runtime has none. */
let opened: Channels | undefined;

/**
 * Open the channels of `node:diagnostics_channel`, where the runtime has it. Reached through
 * `process.getBuiltinModule` (Node 20.16 and later; Deno and Bun too), never through an import: a
 * bundler has nothing to resolve and a browser bundle carries nothing of Node. Elsewhere (a
 * browser, an older Node, a `process` that is some polyfill) there are none, and nothing breaks.
 */
function open(): Channels {
  try {
    const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const module = runtime?.getBuiltinModule?.('node:diagnostics_channel') as { channel?: (name: string) => Channel } | undefined;
    if (typeof module?.channel !== 'function') return {};
    const channels: { [K in BoxChannel]?: Channel } = {};
    for (const key of Object.keys(BOX_CHANNELS) as BoxChannel[]) channels[key] = module.channel(BOX_CHANNELS[key]);
    return channels;
  } catch {
    return {};
  }
}

/**
 * The channel when something subscribes to it, else undefined: publish only then, so that a
 * message nobody reads is never even built.
 */
export function listened(key: BoxChannel): Channel | undefined {
  const channel = (opened ??= open())[key];
  return channel?.hasSubscribers ? channel : undefined;
}

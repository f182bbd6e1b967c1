// The Box-like server of the pacing tests in a process of its own (examples/fleet-server.mjs): it
// counts each user's requests per sliding window as Box does, by when it reads them, and answers
// 429 above its limit. Apart from the test runner, its reading is not held up by the runner's
// own work, as Box's is not by its clients'. Settings as JSON in argv[2] (startFleetServer's);
// to its parent: { type: 'ready', url }; asked { type: 'log' }, it answers
// { type: 'log', log, refusals, loweredAt }.
import { startFleetServer } from '../../examples/fleet-server.mjs';

const server = await startFleetServer(JSON.parse(process.argv[2] ?? '{}'));
process.on('message', (message) => {
  if (message?.type === 'log') process.send?.({ type: 'log', log: server.log, refusals: server.refusals, loweredAt: server.loweredAt });
});
process.on('disconnect', () => void server.close().then(() => process.exit(0)));
process.send?.({ type: 'ready', url: server.url });

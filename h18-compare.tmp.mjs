// Side by side in one process: plain axios, the plugin before (a copy of the old dist) and after.
import axios, { AxiosError, AxiosHeaders } from 'axios';
import axiosRetry from 'axios-retry';
const before = await import(process.argv[2]);
const after = await import(process.argv[3]);
const instant = (config) => Promise.resolve({ data: '{"type":"file","id":"1"}', status: 200, statusText: 'OK', headers: new AxiosHeaders({ 'content-type': 'application/json', 'box-request-id': 'abc' }), config, request: {} });
function onceFailing() {
  const seen = new Set();
  return (config) => {
    const first = !seen.has(config.url); seen.add(config.url);
    const status = first ? 503 : 200;
    const response = { data: first ? '{"type":"error","status":503}' : '{"type":"file"}', status, statusText: '', headers: new AxiosHeaders({ 'content-type': 'application/json' }), config, request: {} };
    if (!config.validateStatus || config.validateStatus(status)) return Promise.resolve(response);
    return Promise.reject(new AxiosError('Request failed with status code ' + status, 'ERR_BAD_RESPONSE', config, {}, response));
  };
}
const make = (attach, adapter) => { const i = axios.create({ adapter, baseURL: 'http://box.invalid' }); attach(i); return i; };
const s2 = { plain: () => make(() => {}, instant), before: () => make((i) => before.attachBoxStatus(i), instant), after: () => make((i) => after.attachBoxStatus(i), instant) };
let n = 0;
const s6 = { retry: () => make((i) => axiosRetry(i), onceFailing()), before: () => make((i) => before.attachBoxStatus(i, { retry: { baseDelayMs: 0 } }), onceFailing()), after: () => make((i) => after.attachBoxStatus(i, { retry: { baseDelayMs: 0 } }), onceFailing()) };
async function seq(instance, count) { const t = performance.now(); for (let k = 0; k < count; k++) await instance.get('/files/1'); return (performance.now() - t) * 1000 / count; }
async function pool(instance, count) { const t = performance.now(); let next = 0; await Promise.all(Array.from({ length: 32 }, async () => { while (next < count) { next++; n++; await instance.get('/files/' + n).catch(() => {}); } })); return (performance.now() - t) * 1000 / count; }
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function scenario(clients, run, count, rounds) {
  const out = Object.fromEntries(Object.keys(clients).map((k) => [k, []]));
  for (const k of Object.keys(clients)) await run(clients[k](), count);
  for (let r = 0; r < rounds; r++) for (const k of (r % 2 ? Object.keys(clients).reverse() : Object.keys(clients))) out[k].push(await run(clients[k](), count));
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, median(v)]));
}
const a = await scenario(s2, seq, 1000, Number(process.argv[4] ?? 15));
console.log('scenario 2 (µs/call):', Object.entries(a).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', '), `| ratio before ${(a.before / a.plain).toFixed(3)} after ${(a.after / a.plain).toFixed(3)}`);
const b = await scenario(s6, pool, 1000, Number(process.argv[4] ?? 15));
console.log('scenario 6 (µs/call):', Object.entries(b).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', '), `| ratio before ${(b.before / b.retry).toFixed(3)} after ${(b.after / b.retry).toFixed(3)}`);

import axios, { AxiosHeaders } from 'axios';
const before = await import(process.argv[2]);
const after = await import(process.argv[3]);
const adapter = (config) => Promise.resolve({ data: '{"type":"file","id":"1"}', status: 200, statusText: 'OK', headers: new AxiosHeaders({ 'content-type': 'application/json', 'box-request-id': 'abc' }), config, request: {} });
const plain = axios.create({ adapter, baseURL: 'http://box.invalid' });
const b = axios.create({ adapter, baseURL: 'http://box.invalid' }); before.attachBoxStatus(b);
const a = axios.create({ adapter, baseURL: 'http://box.invalid' }); after.attachBoxStatus(a);
async function run(i, n) { const t = performance.now(); for (let k = 0; k < n; k++) await i.get('/files/1'); return (performance.now() - t) * 1000 / n; }
for (let w = 0; w < 3; w++) { await run(plain, 3000); await run(b, 3000); await run(a, 3000); }
const rb = [], ra = [];
const rounds = Number(process.argv[4] ?? 40);
for (let r = 0; r < rounds; r++) {
  const p1 = await run(plain, 1000);
  const x = r % 2 ? await run(b, 1000) : await run(a, 1000);
  const y = r % 2 ? await run(a, 1000) : await run(b, 1000);
  const p2 = await run(plain, 1000);
  const [tb, ta] = r % 2 ? [x, y] : [y, x];
  rb.push(2 * tb / (p1 + p2)); ra.push(2 * ta / (p1 + p2));
}
const med = (v) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)];
const q = (v, f) => [...v].sort((p, q) => p - q)[Math.floor(v.length * f)];
console.log(`success path ratio to plain axios (median, IQR): before ${med(rb).toFixed(3)} [${q(rb, .25).toFixed(3)}-${q(rb, .75).toFixed(3)}], after ${med(ra).toFixed(3)} [${q(ra, .25).toFixed(3)}-${q(ra, .75).toFixed(3)}]`);

import axios, { AxiosHeaders } from 'axios';
const dist = process.argv[2] ?? './dist/index.js';
const { attachBoxStatus } = await import(dist);
const adapter = (config) => Promise.resolve({ data: '{"type":"file","id":"1"}', status: 200, statusText: 'OK', headers: new AxiosHeaders({ 'content-type': 'application/json', 'box-request-id': 'abc' }), config, request: {} });
const plain = axios.create({ adapter, baseURL: 'http://box.invalid' });
const box = axios.create({ adapter, baseURL: 'http://box.invalid' }); attachBoxStatus(box);
async function run(i, n) { const t = performance.now(); for (let k = 0; k < n; k++) await i.get('/files/1'); return (performance.now() - t) * 1000 / n; }
for (let w = 0; w < 3; w++) { await run(plain, 5000); await run(box, 5000); }
const ratios = [];
for (let r = 0; r < 30; r++) { const a = await run(plain, 2000); const b = await run(box, 2000); const c = await run(plain, 2000); ratios.push(2 * b / (a + c)); }
ratios.sort((p, q) => p - q);
console.log('median ratio', ratios[15].toFixed(3), 'IQR', ratios[7].toFixed(3), ratios[22].toFixed(3));

import axios, { AxiosHeaders } from 'axios';
const { attachBoxStatus } = await import(process.argv[2]);
const adapter = (config) => Promise.resolve({ data: '{"type":"file","id":"1"}', status: 200, statusText: 'OK', headers: new AxiosHeaders({ 'content-type': 'application/json', 'box-request-id': 'abc' }), config, request: {} });
const a = axios.create({ adapter, baseURL: 'http://box.invalid' }); attachBoxStatus(a);
for (let k = 0; k < 200000; k++) await a.get('/files/1');

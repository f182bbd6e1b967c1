import axios from 'axios';
let captured;
const inst = axios.create({ baseURL: 'http://box.invalid', adapter: (c) => { captured = c; return Promise.resolve({ data: '', status: 200, statusText: '', headers: {}, config: c }); } });
await inst.get('/files/1');
const src = captured;
console.log('proto null?', Object.getPrototypeOf(src) === null, 'keys', Object.keys(src).length, Object.getOwnPropertySymbols(src).length);
const NULLP = Object.seal(Object.create(null, { hasOwnProperty: { value: Object.prototype.hasOwnProperty, writable: true } }));
function a(s) { const c = Object.getPrototypeOf(s) === null ? Object.create(NULLP) : {}; for (const k of Object.keys(s)) c[k] = s[k]; for (const k of Object.getOwnPropertySymbols(s)) if (Object.prototype.propertyIsEnumerable.call(s, k)) c[k] = s[k]; return c; }
function b(s) { return Object.assign(Object.getPrototypeOf(s) === null ? Object.create(NULLP) : {}, s); }
function c(s) { const c = Object.getPrototypeOf(s) === null ? Object.create(NULLP) : {}; for (const k in s) c[k] = s[k]; return c; }
function d(s) { const keys = Object.keys(s); const c = Object.getPrototypeOf(s) === null ? Object.create(NULLP) : {}; for (let i = 0; i < keys.length; i++) { const k = keys[i]; c[k] = s[k]; } const syms = Object.getOwnPropertySymbols(s); for (let i = 0; i < syms.length; i++) { const k = syms[i]; if (Object.prototype.propertyIsEnumerable.call(s, k)) c[k] = s[k]; } return c; }
function e(s) { return { __proto__: Object.getPrototypeOf(s) === null ? NULLP : Object.prototype, ...s }; }
for (const [name, f] of [['a', a], ['b', b], ['c', c], ['d', d], ['e', e], ['a', a], ['b', b], ['d', d]]) {
  let x; for (let i = 0; i < 20000; i++) x = f(src);
  const t = performance.now(); for (let i = 0; i < 300000; i++) x = f(src); console.log(name, ((performance.now() - t) * 1000 / 300000).toFixed(3), 'µs', Object.keys(x).length);
}

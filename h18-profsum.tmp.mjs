import { readFileSync, readdirSync } from 'node:fs';
const dir = process.argv[2];
const prof = JSON.parse(readFileSync(dir + '/' + readdirSync(dir)[0], 'utf8'));
const self = new Map(); const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const dt = prof.timeDeltas; let total = 0;
prof.samples.forEach((id, i) => { const n = byId.get(id); const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*\/(node_modules\/)?/, '')}:${n.callFrame.lineNumber}`; self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0)); total += dt[i] ?? 0; });
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, 45);
for (const [k, v] of rows) console.log((100 * v / total).toFixed(1).padStart(5) + '%', k);
// aggregate by file
const files = new Map(); for (const [k, v] of self) { const f = k.split(' ').slice(1).join(' ').replace(/:\d+$/, ''); files.set(f, (files.get(f) ?? 0) + v); }
console.log('--- by file'); for (const [f, v] of [...files].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((100 * v / total).toFixed(1).padStart(5) + '%', f);

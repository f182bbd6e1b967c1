import { readFileSync, readdirSync } from 'node:fs';
const dir = process.argv[2]; const target = process.argv[3];
const prof = JSON.parse(readFileSync(dir + '/' + readdirSync(dir)[0], 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n])); const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*\//, '')}:${n.callFrame.lineNumber}`;
const counts = new Map(); let total = 0;
prof.samples.forEach((id, i) => { total += prof.timeDeltas[i] ?? 0; let n = byId.get(id); const chain = []; while (n) { chain.push(name(n)); n = byId.get(parent.get(n.id)); }
  const idx = chain.findIndex((c) => c.startsWith(target)); if (idx < 0) return; const key = chain.slice(idx, idx + 4).join(' <- '); counts.set(key, (counts.get(key) ?? 0) + (prof.timeDeltas[i] ?? 0)); });
for (const [k, v] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log((100 * v / total).toFixed(2).padStart(6) + '%', k);

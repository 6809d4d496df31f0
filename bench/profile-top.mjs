#!/usr/bin/env node
// Top self-time functions of a .cpuprofile (Chrome DevTools format): `node bench/profile-top.mjs F [N]`.
import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const n = +(process.argv[3] ?? 30);
const dt = new Map();
p.samples.forEach((s, i) => {
  dt.set(s, (dt.get(s) ?? 0) + (p.timeDeltas[i] ?? 0));
});
const self = new Map();
let total = 0;
for (const node of p.nodes) {
  const t = dt.get(node.id) ?? 0;
  total += t;
  const cf = node.callFrame;
  const key = `${cf.functionName || '(anonymous)'}  ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}:${cf.columnNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + t);
}
console.log(`total ${(total / 1000).toFixed(0)} ms`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${(v / 1000).toFixed(1).padStart(8)} ms  ${k}`);
// inclusive time: each function counted once per sample in whose stack it appears
if (process.argv[4] === '--inclusive') {
  const parent = new Map();
  for (const node of p.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const incl = new Map();
  for (const [id, t] of dt) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur).callFrame;
      const key = `${cf.functionName || '(anonymous)'}  ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}:${cf.columnNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + t);
    }
  }
  console.log('\ninclusive:');
  for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${(v / 1000).toFixed(1).padStart(8)} ms  ${k}`);
}

import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map<number, any>(p.nodes.map((n: any) => [n.id, n]));
const self = new Map<number, number>();
const dt = p.timeDeltas as number[];
p.samples.forEach((id: number, i: number) => self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0)));
// inclusive time per function name via parent map
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map<string, number>();
const selfBy = new Map<string, number>();
let total = 0;
for (const [id, t] of self) {
  const n = byId.get(id); const name = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*\/work\/main\//, '')}:${n.callFrame.lineNumber}`;
  if (n.callFrame.functionName === '(idle)') continue;
  total += t;
  selfBy.set(name, (selfBy.get(name) ?? 0) + t);
  const seen = new Set<string>();
  let cur: number | undefined = id;
  while (cur !== undefined) { const m = byId.get(cur); const nm = `${m.callFrame.functionName || '(anon)'} ${m.callFrame.url.replace(/.*\/work\/main\//, '')}:${m.callFrame.lineNumber}`; if (!seen.has(nm)) { seen.add(nm); incl.set(nm, (incl.get(nm) ?? 0) + t); } cur = parent.get(cur); }
}
console.log('total busy ms', (total / 1000).toFixed(0));
console.log('--- inclusive');
for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 45))) console.log((100 * v / total).toFixed(1).padStart(5), k.slice(0, 140));
console.log('--- self');
for (const [k, v] of [...selfBy].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log((100 * v / total).toFixed(1).padStart(5), k.slice(0, 140));

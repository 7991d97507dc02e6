/**
 * `node bench/.out/heap-diff.js BASELINE.heapsnapshot LOADED.heapsnapshot N [TOP]`: what
 * the heap holds per connection (written by `npm run bench -- --workloads idle --heap`),
 * by object kind: the difference of the two snapshots' self sizes divided by N.
 * @module
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

function tally(file: string): Map<string, { size: number; count: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = snap.snapshot.meta.node_types[0];
  const out = new Map<string, { size: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!;
    let name = snap.strings[snap.nodes[i + nameAt]!] ?? '';
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = '';
    if (name.length > 60) name = name.slice(0, 57) + '...';
    const key = `${type}: ${name}`;
    const entry = out.get(key) ?? { size: 0, count: 0 };
    entry.size += snap.nodes[i + sizeAt]!;
    entry.count++;
    out.set(key, entry);
  }
  return out;
}

function main(): void {
  const [base, loaded, nArg, topArg] = process.argv.slice(2);
  if (!base || !loaded || !nArg) throw new Error('usage: heap-diff BASELINE LOADED N [TOP]');
  const n = Number(nArg);
  const a = tally(base);
  const b = tally(loaded);
  const rows: { key: string; size: number; count: number }[] = [];
  for (const [key, v] of b) {
    const w = a.get(key) ?? { size: 0, count: 0 };
    rows.push({ key, size: (v.size - w.size) / n, count: (v.count - w.count) / n });
  }
  const total = rows.reduce((s, r) => s + r.size, 0);
  console.log(`${total.toFixed(0)} B self size per connection in the snapshot difference`);
  console.log('   B/conn  objects/conn  kind: constructor');
  for (const r of rows.sort((x, y) => y.size - x.size).slice(0, Number(topArg ?? 40))) {
    console.log(`${r.size.toFixed(0).padStart(9)}  ${r.count.toFixed(2).padStart(12)}  ${r.key}`);
  }
}

main();

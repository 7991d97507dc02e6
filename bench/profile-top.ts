/**
 * `node bench/.out/profile-top.js FILE.cpuprofile [N]`: the top frames of a V8 CPU profile
 * (written by `npm run bench -- --profile`), by self time and by total time, so a hot
 * path can be named without opening DevTools.
 * @module
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT } from './lib/paths';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function label(node: ProfileNode): string {
  const f = node.callFrame;
  const url = f.url.startsWith('file://') ? relative(ROOT, f.url.slice(7)) : f.url || '(native)';
  return `${f.functionName || '(anonymous)'} ${url}:${f.lineNumber + 1}`;
}

function main(): void {
  const [file, nArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-top FILE.cpuprofile [N]');
  const n = Number(nArg ?? 30);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );
  let total = 0;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    total += us;
    if (node.callFrame.functionName === '(idle)') continue;
    self.set(label(node), (self.get(label(node)) ?? 0) + us);
    // Count each label once per stack, so recursion does not double it.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + us);
    }
  }
  const idle = [...selfUs]
    .filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)')
    .reduce((a, [, us]) => a + us, 0);
  const busy = total - idle;
  const show = (title: string, m: Map<string, number>): void => {
    console.log(`\n${title} (% of ${(busy / 1000).toFixed(0)} ms busy)`);
    for (const [l, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n))
      console.log(`${((us / busy) * 100).toFixed(1).padStart(6)}%  ${l}`);
  };
  show('self time', self);
  show('total time', inclusive);
}

main();

/**
 * Where things are, from the compiled file's point of view (bench/.out/lib/paths.js).
 * @module
 */
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..', '..');
/** The built wiregate the servers load: dist/, or the bench's own build when dist/ was stale (set by run.ts). */
export const DIST = process.env.BENCH_WIREGATE_DIST ?? join(ROOT, 'dist');
/** Where one bench run keeps the wiregate build it measures (one folder per run: runs may overlap). */
export function privateDist(pid: number): string {
  return join(OUT, `wiregate-dist-${pid}`);
}
export const OUT = resolve(__dirname, '..');
export const RESULTS = join(ROOT, 'bench', 'results');

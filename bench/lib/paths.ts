/**
 * Where things are, from the compiled file's point of view (bench/.out/lib/paths.js).
 * @module
 */
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const DIST = join(ROOT, 'dist');
export const OUT = resolve(__dirname, '..');
export const RESULTS = join(ROOT, 'bench', 'results');

/**
 * An in-memory {@link FileSystem} for unit tests of the CLI actions.
 * @module
 */
import * as path from 'node:path';
import type { FileSystem } from './file-system';

/**
 * Files kept in a map; directories exist implicitly as parents of files, or explicitly
 * through {@link MemoryFileSystem.mkdir}.
 *
 * @example
 * const fs = new MemoryFileSystem({ '/app/package.json': '{"dependencies":{"wiregate":"*"}}' });
 */
export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Set<string>(['/']);

  constructor(initial: Record<string, string> = {}) {
    for (const [file, content] of Object.entries(initial)) this.writeFile(file, content);
  }

  readFile(file: string): string | undefined {
    return this.files.get(path.resolve(file));
  }

  writeFile(file: string, content: string): void {
    const abs = path.resolve(file);
    if (this.dirs.has(abs)) throw new Error(`EISDIR: ${abs} is a directory`);
    this.mkdir(path.dirname(abs));
    this.files.set(abs, content);
  }

  exists(target: string): boolean {
    const abs = path.resolve(target);
    return this.files.has(abs) || this.dirs.has(abs);
  }

  isDirectory(target: string): boolean {
    return this.dirs.has(path.resolve(target));
  }

  readDir(dir: string): string[] {
    const abs = path.resolve(dir);
    const names = new Set<string>();
    for (const entry of [...this.files.keys(), ...this.dirs]) {
      if (entry !== abs && path.dirname(entry) === abs) names.add(path.basename(entry));
    }
    return [...names].sort();
  }

  /** Creates `dir` and its parents. */
  mkdir(dir: string): void {
    for (let d = path.resolve(dir); !this.dirs.has(d); d = path.dirname(d)) {
      if (this.files.has(d)) throw new Error(`ENOTDIR: ${d} is a file`);
      this.dirs.add(d);
    }
  }

  /** Every file, path → content, sorted by path: handy for snapshot-free assertions. */
  snapshot(): Record<string, string> {
    return Object.fromEntries([...this.files].sort(([a], [b]) => a.localeCompare(b)));
  }
}

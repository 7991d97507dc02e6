/**
 * Applies a list of planned file writes all-or-nothing: every conflict is found before
 * the first byte is written, and `--dry-run` reports the same list without writing.
 * @module
 */
import * as path from 'node:path';
import { CliError } from './cli-error';
import type { CliContext } from './context';

/** One file an action wants to write. */
export interface PlannedFile {
  /** Absolute path. */
  readonly path: string;
  readonly content: string;
  /**
   * `create` refuses to replace an existing file unless forced; `update` edits a file
   * the user already has (the gateway list in `src/main.ts`) and never needs `--force`.
   */
  readonly kind: 'create' | 'update';
}

/** How to apply a plan. */
export interface ApplyOptions {
  readonly force: boolean;
  readonly dryRun: boolean;
  /** Paths are printed relative to this directory. */
  readonly root: string;
}

/**
 * Writes `files` through `ctx.fs` and prints one line per file (`CREATE`, `OVERWRITE`,
 * `UPDATE`).
 *
 * @throws CliError listing every existing file when any `create` would overwrite and
 *   `force` is off; nothing is written then.
 */
export function applyPlan(
  ctx: CliContext,
  files: readonly PlannedFile[],
  options: ApplyOptions,
): void {
  const show = (file: string): string => toPosix(path.relative(options.root, file)) || file;
  const existing = files.filter((f) => f.kind === 'create' && ctx.fs.exists(f.path));
  const blockers = existing.filter((f) => ctx.fs.isDirectory(f.path));
  if (blockers.length > 0) {
    throw new CliError(
      `A directory is in the way: ${blockers.map((f) => show(f.path)).join(', ')}.`,
    );
  }
  if (existing.length > 0 && !options.force) {
    const list = existing.map((f) => `  ${show(f.path)}`).join('\n');
    throw new CliError(
      `These files already exist:\n${list}\nNothing was written. Use --force to overwrite them.`,
    );
  }
  for (const file of files) {
    const verb =
      file.kind === 'update' ? 'UPDATE' : existing.includes(file) ? 'OVERWRITE' : 'CREATE';
    ctx.stdout.write(`${verb} ${show(file.path)} (${Buffer.byteLength(file.content)} bytes)\n`);
    if (!options.dryRun) ctx.fs.writeFile(file.path, file.content);
  }
  if (options.dryRun) ctx.stdout.write('Dry run: nothing was written.\n');
}

/** `a\b` → `a/b`, for import specifiers and stable output on every platform. */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

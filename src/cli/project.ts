/**
 * Finds the wiregate project a `generate` command runs in: the nearest package.json, up
 * from the working directory, that depends on wiregate.
 * @module
 */
import * as path from 'node:path';
import { CliError } from './cli-error';
import type { FileSystem } from './file-system';

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies'] as const;

/**
 * The project root: the directory of the first package.json at or above `cwd` that lists
 * `wiregate` in its dependencies, dev- or peer dependencies.
 *
 * @throws CliError when there is none, naming where the search started.
 */
export function findProjectRoot(fs: FileSystem, cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    const text = fs.readFile(file);
    if (text !== undefined && dependsOnWiregate(text, file)) return dir;
    if (path.dirname(dir) === dir) break;
  }
  throw new CliError(
    `Not inside a wiregate project: no package.json that depends on "wiregate" in ${cwd} ` +
      'or any directory above it.\nRun this command in your project, or create one with `wiregate new <dir>`.',
  );
}

function dependsOnWiregate(text: string, file: string): boolean {
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new CliError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  return DEPENDENCY_FIELDS.some((field) => {
    const deps = pkg[field];
    return typeof deps === 'object' && deps !== null && Object.hasOwn(deps, 'wiregate');
  });
}

// Builds the package into a folder of the test's own, as `npm run build` lays it out (tsc, then
// the ESM entries), so that a test of the built package never reads dist/, which another test or
// a developer may be rebuilding at the same time.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');

/**
 * Compiles src/ into `dist` with tsconfig.build.json and writes the ESM entries beside it.
 * Put `dist` under node_modules so that the built files resolve the project's dependencies.
 * Rejects when `entry` (a file relative to `dist`) was not written.
 */
export async function buildPackageInto(dist: string, entry: string): Promise<void> {
  await run(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      '-p',
      path.join(ROOT, 'tsconfig.build.json'),
      '--outDir',
      dist,
    ],
    { cwd: ROOT },
  ).catch((err: { stdout?: string }) => {
    // tsc still emits on type errors elsewhere in the tree; only a missing entry fails here.
    if (!fs.existsSync(path.join(dist, entry)))
      throw new Error(`build failed: ${err.stdout ?? String(err)}`);
  });
  await run(process.execPath, [path.join(ROOT, 'scripts', 'write-esm-entries.js'), dist]);
}

// `npm run build` (and `prepare`): compiles src/ into a temporary folder, adds the ESM
// entries and the CLI's executable bit there, and only then moves the result into dist/
// file by file (scripts/replace-dir.js). dist/ stays complete throughout, so a build, a
// `prepare` run by `npm pack` for a `file:` install, and anything running from dist/ can
// overlap. A failed compile leaves dist/ as it was.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { replaceDir } = require('./replace-dir');
const { writeEsmEntries } = require('./write-esm-entries');

const ROOT = path.join(__dirname, '..');
const DIST = path.join(ROOT, 'dist');

function main() {
  // Beside dist/: the same file system, so renames are atomic, and the same depth, so the
  // source maps' relative paths to src/ stay right once moved. One folder per build.
  const out = fs.mkdtempSync(path.join(ROOT, '.dist-build-'));
  try {
    const tsc = spawnSync(
      process.execPath,
      [
        require.resolve('typescript/bin/tsc'),
        '-p',
        path.join(ROOT, 'tsconfig.build.json'),
        '--outDir',
        out,
      ],
      { cwd: ROOT, stdio: 'inherit' },
    );
    if (tsc.status !== 0) {
      console.error(`build: tsc failed (exit ${tsc.status ?? tsc.signal}); dist/ is unchanged.`);
      return 1;
    }
    writeEsmEntries(out);
    fs.chmodSync(path.join(out, 'cli', 'main.js'), 0o755);
    replaceDir(out, DIST);
    return 0;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

process.exitCode = main();

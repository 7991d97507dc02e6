// Writes an ESM wrapper (.mjs) beside each CommonJS entry of a build, so that both
// `require('wiregate')` and `import { Server } from 'wiregate'` work on Node 20.
// Used by scripts/build.js (`writeEsmEntries(outDir)`); run alone it takes the folder as its
// argument (default: dist/).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

// ESM entry → the CommonJS files it may wrap, first found wins. The main entry wraps the
// callable module (src/callable.ts), so that its default export is callable like
// `require('wiregate')`; a build without it wraps index.js.
const ENTRIES = { index: ['callable', 'index'], redis: ['redis'], testing: ['testing'] };

/** Writes `<entry>.mjs` for every entry whose CommonJS file exists in `dist`. */
function writeEsmEntries(dist) {
  for (const [entry, sources] of Object.entries(ENTRIES)) {
    const source = sources.find((name) => fs.existsSync(path.join(dist, `${name}.js`)));
    if (source === undefined) continue;
    const cjsFile = path.join(dist, `${source}.js`);
    const names = Object.keys(require(cjsFile)).filter(
      (n) => n !== 'default' && n !== '__esModule',
    );
    const lines = [
      `import cjs from './${source}.js';`,
      ...names.map((n) => `export const ${n} = cjs.${n};`),
      'export default cjs;',
      '',
    ];
    fs.writeFileSync(path.join(dist, `${entry}.mjs`), lines.join('\n'));
  }
}

module.exports = { writeEsmEntries };

if (require.main === module) {
  writeEsmEntries(path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'dist')));
}

// Writes an ESM wrapper (.mjs) beside each CommonJS entry in dist/, so that both
// `require('wiregate')` and `import { Server } from 'wiregate'` work on Node 20.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
const entries = ['index', 'redis', 'testing'];

for (const entry of entries) {
  const cjsFile = path.join(dist, `${entry}.js`);
  if (!fs.existsSync(cjsFile)) continue;
  const names = Object.keys(require(cjsFile)).filter((n) => n !== 'default' && n !== '__esModule');
  const lines = [
    `import cjs from './${entry}.js';`,
    ...names.map((n) => `export const ${n} = cjs.${n};`),
    'export default cjs;',
    '',
  ];
  fs.writeFileSync(path.join(dist, `${entry}.mjs`), lines.join('\n'));
}

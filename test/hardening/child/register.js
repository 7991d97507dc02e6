// Lets a plain `node` child process run the TypeScript sources, compiled on load with the
// same swc settings as jest (jest.config.js), so a test can watch real Node process
// behaviour (exit, signals, unhandled rejections) without a build step.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- node -r loads CommonJS only */
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

const options = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

require.extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};

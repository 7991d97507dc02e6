// Runs test/server with the Redis adapter: see harness.ts beside this file.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS jest config */
const path = require('node:path');
const base = require('../../../jest.config.js');

module.exports = {
  ...base,
  rootDir: path.join(__dirname, '..', '..', '..'),
  moduleNameMapper: {
    ...base.moduleNameMapper,
    '^\\.\\./support/harness$': path.join(__dirname, 'harness.ts'),
  },
};

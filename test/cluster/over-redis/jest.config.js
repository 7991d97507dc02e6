// Runs test/server with the Redis adapter: see harness.ts beside this file.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS jest config */
const path = require('node:path');
const base = require('../../../jest.config.js');

// The main project of the repository's config (the others re-run the server suite over other transports).
const main = base.projects.find((project) => project.displayName === 'all');

module.exports = {
  ...main,
  displayName: 'server over redis',
  testTimeout: base.testTimeout,
  rootDir: path.join(__dirname, '..', '..', '..'),
  moduleNameMapper: {
    ...main.moduleNameMapper,
    '^\\.\\./support/harness$': path.join(__dirname, 'harness.ts'),
  },
};

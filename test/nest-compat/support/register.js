// Preload for the NestJS child process: compiles TypeScript with @swc/core (a dev
// dependency) and resolves `wiregate` to nest-shim.ts, so the very gateway files the
// wiregate tests import run unchanged on @nestjs/platform-socket.io.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload script by necessity */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

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
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};

const shim = path.join(__dirname, 'nest-shim.ts');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'wiregate' ? shim : resolve.call(this, request, ...rest);
};

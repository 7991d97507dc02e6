// Preload for the NestJS child process: TypeScript through the shared swc preload
// (test/fixtures/cluster/register.js), and `wiregate` resolved to nest-shim.ts, so the very
// gateway files the wiregate tests import run unchanged on @nestjs/platform-socket.io.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload script by necessity */
'use strict';
const path = require('node:path');
const Module = require('node:module');

require('../../fixtures/cluster/register.js');

const shim = path.join(__dirname, 'nest-shim.ts');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'wiregate' ? shim : resolve.call(this, request, ...rest);
};

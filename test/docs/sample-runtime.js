// Runs one TypeScript sample of the docs the way a reader runs it (`node`, after a compile),
// in a child process of test/docs/samples.test.ts:
//
//   node test/docs/sample-runtime.js <entry.ts> [exportName [jsonArgs]]
//
// - .ts files compile on load with @swc/core, with the options jest uses (legacy decorators
//   with metadata), and `wiregate`, `wiregate/<entry>` resolve to src/, as in the docs'
//   type-check: the samples run against the code they document, not a stale dist/.
// - A listen on a TCP port (samples say 3000) binds port 0 on 127.0.0.1 instead, so that
//   samples never clash with each other or with anything on the machine; the parent learns
//   the port bound for each requested one through IPC ({ type: 'listening', requested, port }).
//   Two listens of one sample on the same port still fail with EADDRINUSE, as for a reader.
// - With exportName, the entry's export is called with jsonArgs (an array), for samples that
//   export their start function (`export async function main()`) instead of calling it.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script that node runs as is */
const fs = require('node:fs');
const Module = require('node:module');
const net = require('node:net');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');

const SWC_OPTIONS = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...SWC_OPTIONS, filename });
  module._compile(code, filename);
};

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'wiregate')
    return resolveFilename.call(this, path.join(SRC, 'index.ts'), ...rest);
  if (request.startsWith('wiregate/')) {
    return resolveFilename.call(
      this,
      path.join(SRC, `${request.slice('wiregate/'.length)}.ts`),
      ...rest,
    );
  }
  return resolveFilename.call(this, request, ...rest);
};

/** The port a listen() call asks for, or undefined for a pipe, a handle or no port. */
function requestedPort(args) {
  const first = args[0];
  if (typeof first === 'number') return first;
  if (typeof first === 'string' && /^\d+$/.test(first)) return Number(first);
  if (
    first !== null &&
    typeof first === 'object' &&
    first.port !== undefined &&
    first.path === undefined
  ) {
    return Number(first.port);
  }
  return undefined;
}

/** Requested ports (other than 0) a server of this process listens on, as the reader's machine would see them. */
const taken = new Set();

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const requested = requestedPort(args);
  if (requested === undefined) return listen.apply(this, args);
  if (requested !== 0 && taken.has(requested)) {
    // Two servers of one sample on the same port fail for the reader (EADDRINUSE): so here.
    const err = Object.assign(
      new Error(`listen EADDRINUSE: address already in use :::${requested}`),
      {
        code: 'EADDRINUSE',
        errno: -98,
        syscall: 'listen',
        port: requested,
      },
    );
    process.nextTick(() => this.emit('error', err));
    return this;
  }
  if (requested !== 0) {
    taken.add(requested);
    this.once('close', () => taken.delete(requested));
  }
  const callback = typeof args[args.length - 1] === 'function' ? args[args.length - 1] : undefined;
  this.once('listening', () => {
    const address = this.address();
    if (process.send !== undefined && address !== null && typeof address === 'object') {
      process.send({ type: 'listening', requested, port: address.port });
    }
  });
  return callback === undefined
    ? listen.call(this, { port: 0, host: '127.0.0.1' })
    : listen.call(this, { port: 0, host: '127.0.0.1' }, callback);
};

const [entry, exportName, jsonArgs] = process.argv.slice(2);
const exported = require(path.resolve(entry));
if (exportName !== undefined) {
  const start = exported[exportName];
  if (typeof start !== 'function') throw new Error(`${entry} exports no function ${exportName}`);
  Promise.resolve(start(...JSON.parse(jsonArgs ?? '[]'))).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

// docs/internals/wire-protocol.md, "Exports": the runtime classes are exported from the package entry, and the built
// package works through both require() and import.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as entry from '../../src';
import { closeAll, connectSocket, startServer } from '../support/harness';
import { buildPackageInto } from '../support/private-build';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');

afterEach(closeAll);

describe('package entry (src/index.ts)', () => {
  it('exports the socket layer classes', () => {
    for (const name of [
      'Server',
      'Namespace',
      'ParentNamespace',
      'Socket',
      'BroadcastOperator',
      'RemoteSocket',
      'InMemoryAdapter',
      'EngineServer',
      'EngineSession',
    ] as const) {
      expect(typeof entry[name]).toBe('function');
    }
  });

  it('instances are instanceof the exported classes', async () => {
    const h = await startServer();
    expect(h.io).toBeInstanceOf(entry.Server);
    expect(h.io.of('/x')).toBeInstanceOf(entry.Namespace);
    expect(h.io.of(/^\/dyn-\d+$/)).toBeInstanceOf(entry.ParentNamespace);
    expect(h.io.to('room')).toBeInstanceOf(entry.BroadcastOperator);
    expect(h.io.of('/').adapter).toBeInstanceOf(entry.InMemoryAdapter);
    expect(h.io.engine).toBeInstanceOf(entry.EngineServer);
    const [, socket] = await connectSocket(h);
    expect(socket).toBeInstanceOf(entry.Socket);
    expect(socket.conn).toBeInstanceOf(entry.EngineSession);
    expect(entry.RemoteSocket.prototype.emit).toEqual(expect.any(Function));
  });
});

describe('built package (dist) through require and import', () => {
  // A private build: dist/ itself may be rebuilt by others while this runs. It lives under
  // node_modules so that the build resolves the project's dependencies.
  const out = path.join(ROOT, 'node_modules', '.cache', `wiregate-exports-${process.pid}`);
  const dist = path.join(out, 'dist');

  beforeAll(async () => {
    fs.rmSync(out, { recursive: true, force: true });
    await buildPackageInto(dist, 'index.js');
  }, 60000);

  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  /** A script that starts a server from the built package, connects a client and prints the echo. */
  const roundTrip = (load: string) => `
    ${load}
    const http = require('node:http');
    const { io: client } = require('socket.io-client');
    const srv = http.createServer();
    const io = new Server(srv);
    io.on('connection', (s) => s.on('echo', (v, ack) => ack(v)));
    srv.listen(0, '127.0.0.1', () => {
      const c = client('http://127.0.0.1:' + srv.address().port, { transports: ['websocket'] });
      c.emit('echo', [typeof Server, typeof Namespace, typeof Socket, typeof BroadcastOperator, typeof RemoteSocket].join(','), async (reply) => {
        console.log(reply);
        c.disconnect();
        await io.close();
      });
    });`;

  it('require() gives the classes and a working server', async () => {
    const script = roundTrip(
      `const { Server, Namespace, Socket, BroadcastOperator, RemoteSocket } = require(${JSON.stringify(path.join(dist, 'index.js'))});`,
    );
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: out, timeout: 20000 });
    expect(stdout.trim()).toBe('function,function,function,function,function');
  });

  it('import gives the same classes and a working server', async () => {
    const url = 'file://' + path.join(dist, 'index.mjs');
    const script = `import { createRequire } from 'node:module';
      const require = createRequire(${JSON.stringify(path.join(out, 'x.js'))});
      ${roundTrip(`const { Server, Namespace, Socket, BroadcastOperator, RemoteSocket } = await import(${JSON.stringify(url)});`)}`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: out,
      timeout: 20000,
    });
    expect(stdout.trim()).toBe('function,function,function,function,function');
  });

  it('the default export of the ESM entry is the CommonJS module', async () => {
    const url = 'file://' + path.join(dist, 'index.mjs');
    const script = `const m = await import(${JSON.stringify(url)}); console.log(m.default.Server === m.Server);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: out,
      timeout: 20000,
    });
    expect(stdout.trim()).toBe('true');
  });
});

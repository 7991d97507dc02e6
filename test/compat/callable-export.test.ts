// Issue 13, part 4: `require('wiregate')(srv, opts)` and `require('wiregate')(port)` work like
// `require('socket.io')(...)`, while the named exports keep working from CommonJS and ESM.
// Everything runs against a private build of the package, installed under a temporary
// node_modules/wiregate, and the same scripts run against socket.io 4.8 for comparison.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { buildPackageInto } from '../support/private-build';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
// Under node_modules: the built files then resolve the project's dependencies (ws, ...).
const OUT = path.join(ROOT, 'node_modules', '.cache', `wiregate-callable-${process.pid}`);
const PKG = path.join(OUT, 'node_modules', 'wiregate');

jest.setTimeout(60_000);

beforeAll(async () => {
  fs.rmSync(OUT, { recursive: true, force: true });
  const dist = path.join(PKG, 'dist');
  await buildPackageInto(dist, 'callable.js');
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(PKG, 'package.json'));
}, 120_000);

afterAll(() => fs.rmSync(OUT, { recursive: true, force: true }));

/** Runs a script from the temporary project (so `require('wiregate')` is the build); its stdout. */
async function node(script: string, esm = false): Promise<string> {
  const args = esm ? ['--input-type=module', '-e', script] : ['-e', script];
  const { stdout } = await run(process.execPath, args, { cwd: OUT, timeout: 20_000 });
  return stdout.trim();
}

/**
 * A client round trip on a server made by `make` (an expression using `lib` and `srv`/`port`):
 * connects socket.io-client, asks for an ack, prints what the client saw, closes everything.
 */
const roundTrip = (make: string, listen: 'srv' | 'port') => `
  const http = require('node:http');
  const { io: client } = require(${JSON.stringify(require.resolve('socket.io-client'))});
  const done = setTimeout(() => { console.log('timeout'); process.exit(1); }, 15000);
  function go(io, port) {
    io.on('connection', (s) => s.on('echo', (v, ack) => ack('echo:' + v)));
    const c = client('http://127.0.0.1:' + port, { transports: ['websocket'] });
    c.emit('echo', 'hi', async (reply) => {
      console.log([typeof io.of, io.constructor.name, reply].join(','));
      c.disconnect();
      await io.close();
      clearTimeout(done);
    });
  }
  ${
    listen === 'srv'
      ? `const srv = http.createServer();
         const io = ${make};
         srv.listen(0, '127.0.0.1', () => go(io, srv.address().port));`
      : `const probe = http.createServer().listen(0, '127.0.0.1', () => {
           const port = probe.address().port;
           probe.close(() => {
             const io = ${make};
             io.httpServer.once('listening', () => go(io, port));
           });
         });`
  }`;

describe('require("wiregate") is callable, like require("socket.io")', () => {
  it.each([
    ['wiregate', PKG],
    ['socket.io', require.resolve('socket.io')],
  ])('%s(srv, opts) gives a working server', async (_name, entry) => {
    const out = await node(
      roundTrip(`require(${JSON.stringify(entry)})(srv, { pingInterval: 10000 })`, 'srv'),
    );
    expect(out).toBe('function,Server,echo:hi');
  });

  it.each([
    ['wiregate', PKG],
    ['socket.io', require.resolve('socket.io')],
  ])('%s(port) creates the HTTP server and listens', async (_name, entry) => {
    const out = await node(roundTrip(`require(${JSON.stringify(entry)})(port)`, 'port'));
    expect(out).toBe('function,Server,echo:hi');
  });

  it('the callable carries the named exports, the same classes as the named imports', async () => {
    const out = await node(`
      const wiregate = require('wiregate');
      const { Server, Namespace, Socket, InMemoryAdapter, WebSocketGateway } = require('wiregate');
      const io = wiregate({ serveClient: false });
      console.log([
        typeof wiregate,
        io instanceof Server,
        wiregate.Server === Server,
        [Namespace, Socket, InMemoryAdapter, WebSocketGateway].map((v) => typeof v).join('/'),
        require.resolve('wiregate').endsWith('callable.js'),
      ].join(','));
      io.close();`);
    expect(out).toBe('function,true,true,function/function/function/function,true');
  });

  it('new Server(srv) from the named export still works over CommonJS', async () => {
    const out = await node(roundTrip(`new (require('wiregate').Server)(srv)`, 'srv'));
    expect(out).toBe('function,Server,echo:hi');
  });
});

describe('ESM entry', () => {
  const esmRoundTrip = (make: string) => `
    import { createRequire } from 'node:module';
    import wiregate, { Server, Namespace } from 'wiregate';
    const require = createRequire(${JSON.stringify(path.join(OUT, 'x.js'))});
    console.log([typeof wiregate, wiregate.Server === Server, typeof Namespace].join(','));
    ${roundTrip(make, 'srv')}`;

  it('import { Server } from "wiregate" works', async () => {
    const out = await node(esmRoundTrip('new Server(srv)'), true);
    expect(out.split('\n')).toEqual(['function,true,function', 'function,Server,echo:hi']);
  });

  it('the default export is the callable', async () => {
    const out = await node(esmRoundTrip('wiregate(srv)'), true);
    expect(out.split('\n')).toEqual(['function,true,function', 'function,Server,echo:hi']);
  });

  it("import of the named exports matches socket.io's ESM entry for Server, Namespace, Socket", async () => {
    const out = await node(
      `import * as sio from 'socket.io';
       import * as wg from 'wiregate';
       console.log(['Server', 'Namespace', 'Socket'].map((n) => typeof sio[n] + '=' + typeof wg[n]).join(','));`,
      true,
    );
    expect(out).toBe('function=function,function=function,function=function');
  });
});

// docs/internals/server-semantics.md, "Attaching to an HTTP server": attaching to HTTP servers, new Server(port), io.close(); io.engine;
// listener forwarding to the main namespace.
import { createServer, request, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { EngineSession, Namespace, Server } from '../../src/server';
import {
  closeAll,
  connectSocket,
  connected,
  defaultTransports,
  startServer,
  waitFor,
} from '../support/harness';

const extra: { io?: Server; clients: ClientSocket[]; http: HttpServer[] } = {
  clients: [],
  http: [],
};

afterEach(async () => {
  for (const c of extra.clients.splice(0)) c.disconnect();
  await extra.io?.close();
  extra.io = undefined;
  for (const srv of extra.http.splice(0))
    if (srv.listening) await new Promise((resolve) => srv.close(resolve));
  await closeAll();
});

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    })
      .on('error', reject)
      .end();
  });
}

function client(port: number, nsp = '/', path?: string): ClientSocket {
  const c = connectClient(`http://127.0.0.1:${port}${nsp}`, {
    transports: defaultTransports(),
    forceNew: true,
    reconnection: false,
    path,
  });
  extra.clients.push(c);
  return c;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('attaching', () => {
  it('shares the HTTP server: requests outside path reach the app handler', async () => {
    const app = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`app:${req.url}`);
    });
    const h = await startServer({}, app);
    expect(await get(h.port, '/hello')).toEqual({ status: 200, body: 'app:/hello' });
    expect(await get(h.port, '/socket.iox')).toEqual({ status: 200, body: 'app:/socket.iox' });
    const [c] = await connectSocket(h);
    expect(c.connected).toBe(true);
    // The Engine.IO endpoint answers Engine.IO errors, not the app.
    const bad = await get(h.port, '/socket.io/?EIO=4&transport=bogus');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ code: 0, message: 'Transport unknown' });
  });

  it('new Server(port) creates its own HTTP server answering 404 elsewhere', async () => {
    const port = await freePort();
    extra.io = new Server(port);
    expect(extra.io.httpServer).not.toBeNull();
    await new Promise<void>((resolve) =>
      extra.io!.httpServer!.listening
        ? resolve()
        : extra.io!.httpServer!.once('listening', resolve),
    );
    expect((await get(port, '/other')).status).toBe(404);
    const c = client(port);
    await connected(c);
  });

  it('new Server(portString, opts) and a custom path (trailing slash trimmed)', async () => {
    const port = await freePort();
    extra.io = new Server(String(port), { path: '/rt/' });
    expect(extra.io.path()).toBe('/rt');
    await new Promise<void>((resolve) =>
      extra.io!.httpServer!.listening
        ? resolve()
        : extra.io!.httpServer!.once('listening', resolve),
    );
    const c = client(port, '/', '/rt');
    await connected(c);
  });

  it('new Server() then io.attach(httpServer) / io.listen(port)', async () => {
    const io = new Server({ connectTimeout: 1234 });
    extra.io = io;
    expect(io.connectTimeout()).toBe(1234);
    const srv = createServer();
    extra.http.push(srv);
    expect(io.attach(srv)).toBe(io);
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const port = (srv.address() as AddressInfo).port;
    await connected(client(port));

    const port2 = await freePort();
    const io2 = new Server();
    expect(io2.listen(port2)).toBe(io2);
    await new Promise<void>((resolve) =>
      io2.httpServer!.listening ? resolve() : io2.httpServer!.once('listening', resolve),
    );
    await connected(client(port2));
    await io2.close();
  });

  it('attach refuses an Express-style request handler function', () => {
    const io = new Server();
    expect(() => io.attach(((_req: unknown, _res: unknown) => undefined) as never)).toThrow(
      /http\.Server/,
    );
  });

  it('connectionStateRecovery: socket.io defaults filled in on io.opts, no warning, a fresh socket is not recovered (test/recovery covers the rest)', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const h = await startServer({ connectionStateRecovery: { maxDisconnectionDuration: 1000 } });
      expect(h.io.opts.connectionStateRecovery).toMatchObject({
        maxDisconnectionDuration: 1000,
        skipMiddlewares: true,
      });
      expect(warn).not.toHaveBeenCalledWith(
        expect.stringContaining('connectionStateRecovery'),
        expect.anything(),
      );
      const [, socket] = await connectSocket(h);
      expect(socket.recovered).toBe(false);
    } finally {
      warn.mockRestore();
    }
  });

  it('getters/setters: path, serveClient, connectTimeout, adapter', () => {
    const io = new Server();
    expect(io.path()).toBe('/socket.io');
    expect(io.serveClient()).toBe(true);
    expect(io.serveClient(false)).toBe(io);
    expect(io.serveClient()).toBe(false);
    expect(io.connectTimeout()).toBe(45000);
    expect(typeof io.adapter()).toBe('function');
  });
});

describe('serveClient', () => {
  it('serves the official client bundle under path by default', async () => {
    const h = await startServer();
    const res = await fetch(`${h.url}/socket.io/socket.io.min.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect((await res.text()).length).toBeGreaterThan(1000);
  });

  it('serveClient: false serves nothing', async () => {
    const h = await startServer({ serveClient: false });
    const res = await fetch(`${h.url}/socket.io/socket.io.min.js`);
    expect(res.status).toBe(400);
    await res.text();
  });
});

describe('io.close()', () => {
  it('disconnects every client, closes the HTTP server it was attached to and resolves', async () => {
    const h = await startServer();
    const [a] = await connectSocket(h);
    const [b] = await connectSocket(h);
    const gone = Promise.all([waitFor(a, 'disconnect'), waitFor(b, 'disconnect')]);
    await h.io.close();
    await gone;
    expect(h.httpServer.listening).toBe(false);
    expect(h.io.engine.clientsCount).toBe(0);
  });

  it('with a callback: called without error; with a non-listening server: ERR_SERVER_NOT_RUNNING and still resolves', async () => {
    const h = await startServer();
    const cb = jest.fn();
    await h.io.close(cb);
    expect(cb).toHaveBeenCalledWith(undefined);
    const io = new Server(createServer());
    const cb2 = jest.fn();
    await io.close(cb2);
    expect((cb2.mock.calls[0][0] as NodeJS.ErrnoException).code).toBe('ERR_SERVER_NOT_RUNNING');
  });

  it('a server never attached closes too', async () => {
    await expect(new Server().close()).resolves.toBeUndefined();
  });
});

describe('io.engine', () => {
  it('clientsCount and connection events of engine sessions', async () => {
    const h = await startServer();
    const sessions: EngineSession[] = [];
    h.io.engine.on('connection', (s: EngineSession) => sessions.push(s));
    expect(h.io.engine.clientsCount).toBe(0);
    const [, socket] = await connectSocket(h);
    await connectSocket(h);
    expect(h.io.engine.clientsCount).toBe(2);
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toBe(socket.conn);
    // With TEST_TRANSPORTS=default the session may already have upgraded to websocket.
    expect(defaultTransports()).toContain(sessions[0].transport.name);
  });

  it('generateId can be overridden (sync or async)', async () => {
    const h = await startServer();
    let n = 0;
    h.io.engine.generateId = () => `custom-${++n}`;
    const [, s1] = await connectSocket(h);
    expect(s1.conn.id).toBe('custom-1');
    h.io.engine.generateId = async () => 'async-id';
    const [, s2] = await connectSocket(h);
    expect(s2.conn.id).toBe('async-id');
    expect(s2.id).not.toBe('async-id'); // the socket id is never the engine id
  });

  it('connection_error reports refused requests', async () => {
    const h = await startServer();
    const err = new Promise<{ code: number; message: string; req: { url: string } }>((resolve) =>
      h.io.engine.on('connection_error', resolve),
    );
    await get(h.port, '/socket.io/?EIO=4&transport=polling&sid=unknown');
    const e = await err;
    expect(e.code).toBe(1);
    expect(e.message).toBe('Session ID unknown');
    expect(e.req.url).toContain('sid=unknown');
  });

  it('allowRequest refusal reaches the client as connect_error', async () => {
    const h = await startServer({ allowRequest: (_req, cb) => cb('go away', false) });
    const c = h.connect();
    const err = await waitFor<Error>(c, 'connect_error');
    expect(err).toBeInstanceOf(Error);
    expect(h.io.engine.clientsCount).toBe(0);
  });
});

describe('Server as an event emitter', () => {
  it('on/once/off/listeners forward to the main namespace; new_namespace stays on the server', async () => {
    const h = await startServer();
    const onConnection = jest.fn();
    h.io.on('connection', onConnection);
    expect(h.io.sockets.listeners('connection')).toContain(onConnection);
    expect(h.io.listeners('connection')).toContain(onConnection);
    expect(h.io.listenerCount('connection')).toBe(1);
    const onConnect = jest.fn();
    h.io.once('connect', onConnect);
    const [, socket] = await connectSocket(h);
    expect(onConnection).toHaveBeenCalledWith(socket);
    expect(onConnect).toHaveBeenCalledWith(socket);
    h.io.off('connection', onConnection);
    expect(h.io.sockets.listenerCount('connection')).toBe(0);
    const nspListener = jest.fn();
    h.io.on('new_namespace', nspListener);
    expect(h.io.sockets.listenerCount('new_namespace')).toBe(0);
    const nsp = h.io.of('/created');
    expect(nspListener).toHaveBeenCalledWith(nsp);
    expect(nsp).toBeInstanceOf(Namespace);
    h.io.removeAllListeners('new_namespace');
    expect(h.io.listenerCount('new_namespace')).toBe(0);
  });

  it('io.emit broadcasts to the main namespace (it is not a local EventEmitter emit)', async () => {
    const h = await startServer();
    const local = jest.fn();
    h.io.on('news', local);
    const [c] = await connectSocket(h);
    const got = waitFor(c, 'news');
    expect(h.io.emit('news', 1)).toBe(true);
    expect(await got).toBe(1);
    expect(local).not.toHaveBeenCalled();
  });

  it('io.of(name, fn) registers a connection listener', async () => {
    const h = await startServer();
    const fn = jest.fn();
    h.io.of('/with-fn', fn);
    const [, socket] = await connectSocket(h, '/with-fn');
    expect(fn).toHaveBeenCalledWith(socket);
  });

  it('an async connection listener that rejects is reported on the socket, the server keeps going', async () => {
    const h = await startServer();
    const errors: Error[] = [];
    h.io.use((socket, next) => {
      socket.on('error', (e: Error) => errors.push(e));
      next();
    });
    h.io.on('connection', async () => {
      throw new Error('async handler bug');
    });
    const [c1] = await connectSocket(h);
    const [c2] = await connectSocket(h);
    expect(c1.connected && c2.connected).toBe(true);
    // Each rejection is reported a microtask after its listener ran, long before the client's
    // connect arrived.
    expect(errors.map((e) => e.message)).toEqual(['async handler bug', 'async handler bug']);
  });
});

describe('late polling request', () => {
  // A polling request whose headers are still arriving when io.close() closes the engine used
  // to be answered by nobody, so httpServer.close() and io.close() never finished (fixed in the
  // engine by f5648f4: a closed engine refuses late requests).
  it('io.close() resolves while a polling request is arriving, and that request is answered 400', async () => {
    const { connect } = await import('node:net');
    const h = await startServer({ transports: ['polling'] });
    const tcp = connect(h.port, '127.0.0.1');
    await new Promise((resolve) => tcp.once('connect', resolve));
    let response = '';
    tcp.on('data', (chunk: Buffer) => (response += chunk.toString()));
    tcp.on('error', () => undefined);
    const ended = new Promise((resolve) => tcp.once('close', resolve));
    // The request has started (the connection is busy, not idle) ...
    tcp.write('POST /socket.io/?EIO=4&transport=polling&sid=gone HTTP/1.1\r\nHost: x\r\n');
    await new Promise((resolve) => setImmediate(resolve));
    const closing = h.io.close();
    // ... and its headers complete after the engine has closed.
    tcp.write('Content-Type: text/plain\r\nContent-Length: 1\r\n\r\n1');
    const outcome = await Promise.race([
      Promise.all([closing, ended]).then(() => 'closed'),
      new Promise((resolve) => setTimeout(resolve, 2000, 'hung')),
    ]);
    tcp.destroy();
    h.httpServer.closeAllConnections();
    expect(outcome).toBe('closed');
    expect(response.startsWith('HTTP/1.1 400 ')).toBe(true);
  });
});

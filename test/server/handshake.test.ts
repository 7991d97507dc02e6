// docs/internals/server-semantics.md, "The handshake": every field of socket.handshake; socket.request, socket.conn, socket.client.
import { EngineSession } from '../../src/server';
import {
  closeAll,
  connectSocket,
  defaultTransports,
  startServer,
  waitFor,
} from '../support/harness';

afterEach(closeAll);

describe('socket.handshake', () => {
  it('has headers, query, auth, time, issued, url, address, xdomain, secure', async () => {
    const h = await startServer();
    const before = Date.now();
    const [, socket] = await connectSocket(h, '/?room=blue&n=1', {
      auth: { token: 'abc', nested: { x: 1 } },
      extraHeaders: { 'x-custom': 'yes' },
    });
    const hs = socket.handshake;
    expect(hs.auth).toEqual({ token: 'abc', nested: { x: 1 } });
    expect(hs.headers['x-custom']).toBe('yes');
    expect(hs.headers.host).toBe(`127.0.0.1:${h.port}`);
    expect(hs.query).toMatchObject({
      room: 'blue',
      n: '1',
      EIO: '4',
      transport: defaultTransports()[0],
    });
    expect(typeof hs.issued).toBe('number');
    expect(hs.issued).toBeGreaterThanOrEqual(before);
    expect(hs.issued).toBeLessThanOrEqual(Date.now());
    expect(hs.time).toBe(new Date(hs.issued).toString());
    expect(hs.url.startsWith('/socket.io/?')).toBe(true);
    expect(hs.url).toContain('EIO=4');
    expect(hs.url).toContain('room=blue');
    expect(hs.address).toMatch(/127\.0\.0\.1$/);
    expect(hs.xdomain).toBe(false);
    expect(hs.secure).toBe(false);
  });

  it('the client query option lands in handshake.query', async () => {
    const h = await startServer();
    const [, socket] = await connectSocket(h, '/', { query: { extra: 'q' } });
    expect(socket.handshake.query.extra).toBe('q');
  });

  it('xdomain is true when an Origin header was sent', async () => {
    const h = await startServer();
    const [, socket] = await connectSocket(h, '/', {
      extraHeaders: { origin: 'http://elsewhere.example' },
    });
    expect(socket.handshake.xdomain).toBe(true);
    expect(socket.handshake.headers.origin).toBe('http://elsewhere.example');
  });

  it('auth defaults to {} and is per namespace on a shared connection', async () => {
    const h = await startServer();
    h.io.of('/b');
    const [client, main] = await connectSocket(h);
    expect(main.handshake.auth).toEqual({});
    const b = client.io.socket('/b', { auth: { only: 'b' } });
    await waitFor(b, 'connect');
    const sb = h.io.of('/b').sockets.get(b.id!)!;
    expect(sb.handshake.auth).toEqual({ only: 'b' });
    expect(main.handshake.auth).toEqual({});
    expect(sb.handshake.issued).toBe(main.handshake.issued);
  });

  it('a __proto__ query key stays an own property', async () => {
    const h = await startServer();
    const [, socket] = await connectSocket(h, '/', { query: { __proto__x: '1' } });
    expect(Object.getPrototypeOf(socket.handshake.query)).toBe(Object.prototype);
  });

  it('socket.request is the opening request; socket.conn is the engine session; socket.client has both', async () => {
    const h = await startServer();
    const [, socket] = await connectSocket(h);
    expect(socket.request.url).toBe(socket.handshake.url);
    expect(socket.request.headers).toBe(socket.handshake.headers);
    expect(socket.conn).toBeInstanceOf(EngineSession);
    expect(socket.conn.id).not.toBe(socket.id);
    expect(socket.conn.protocol).toBe(4);
    expect(socket.conn.readyState).toBe('open');
    // With TEST_TRANSPORTS=default the session may already have upgraded to websocket.
    expect(defaultTransports()).toContain(socket.conn.transport.name);
    expect(socket.client.conn).toBe(socket.conn);
    expect(socket.client.request).toBe(socket.request);
    expect(socket.recovered).toBe(false);
  });
});

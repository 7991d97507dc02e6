// The engine under the socket layer with the official socket.io-client: the upgrade as a
// real client does it (no packet lost or reordered while it happens, binary included),
// socket.handshake and socket.conn.transport.name on both transports, CORS headers as the
// client receives them.
import type { Socket as ClientSocket } from 'socket.io-client';
import type { Socket } from '../../src/server';
import { closeAll, connectSocket, startServer } from '../support/harness';
import { within } from './helpers';

afterEach(closeAll);

function upgradedOnServer(socket: Socket): Promise<void> {
  if (socket.conn.upgraded) return Promise.resolve();
  return within(new Promise((resolve) => socket.conn.once('upgrade', () => resolve())), 5000, 'server-side upgrade');
}

/** Collects `n` `seq` events on the client. */
function collect(client: ClientSocket, n: number): Promise<unknown[]> {
  const got: unknown[] = [];
  return within(
    new Promise((resolve) => {
      client.on('seq', (i: unknown, bin?: ArrayBuffer | Buffer) => {
        got.push(bin === undefined ? i : [i, Buffer.from(bin as Buffer).toString('hex')]);
        if (got.length === n) resolve(got);
      });
    }),
    5000,
    `${n} seq events`,
  );
}

describe('with the official client', () => {
  it('default transports: events emitted before, during and after the upgrade all arrive, in order', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h, '/', { transports: ['polling', 'websocket'] });
    expect(socket.conn.transport.name).toBe('polling');
    const expected: unknown[] = [];
    const all = collect(client, 300);
    let i = 0;
    // A burst that starts on polling and carries on while the client probes and switches.
    const emitSome = (n: number) => {
      for (let k = 0; k < n; k++, i++) {
        if (i % 7 === 0) {
          socket.emit('seq', i, Buffer.from([i & 0xff, 0xab]));
          expected.push([i, Buffer.from([i & 0xff, 0xab]).toString('hex')]);
        } else {
          socket.emit('seq', i);
          expected.push(i);
        }
      }
    };
    emitSome(50);
    if (!socket.conn.upgrading && !socket.conn.upgraded) {
      await within(new Promise((resolve) => socket.conn.once('upgrading', resolve)), 5000, 'upgrading');
    }
    // Usually still upgrading here (the probe and the switch need round trips); upgrade.test.ts
    // pins each phase exactly with a raw client.
    emitSome(100);
    await upgradedOnServer(socket);
    emitSome(150);
    expect(await all).toEqual(expected);
    expect(socket.conn.transport.name).toBe('websocket');
  });

  it('handshake and request stay those of the opening request after the upgrade', async () => {
    const h = await startServer();
    const [, socket] = await connectSocket(h, '/', { transports: ['polling', 'websocket'], query: { room: 'a' } });
    await upgradedOnServer(socket);
    expect(socket.conn.transport.name).toBe('websocket');
    expect(socket.handshake.query).toMatchObject({ EIO: '4', transport: 'polling', room: 'a' });
    expect(socket.request.url).toContain('transport=polling');
    expect(socket.conn.request).toBe(socket.request);
  });

  it('websocket only: the transport and the handshake say websocket', async () => {
    const h = await startServer();
    const [, socket] = await connectSocket(h, '/', { transports: ['websocket'] });
    expect(socket.conn.transport.name).toBe('websocket');
    expect(socket.handshake.query.transport).toBe('websocket');
    expect(socket.conn.upgraded).toBe(false);
  });

  it('polling only: binary both ways, the session never upgrades', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h, '/', { transports: ['polling'] });
    socket.on('echo', (data: Buffer, ack: (d: Buffer) => void) => ack(data));
    const reply = (await client.timeout(3000).emitWithAck('echo', new Uint8Array([1, 2, 250]))) as ArrayBuffer;
    expect(Buffer.from(reply)).toEqual(Buffer.from([1, 2, 250]));
    expect(socket.conn.transport.name).toBe('polling');
  });

  it('a server without the websocket transport offers no upgrade', async () => {
    const h = await startServer({ transports: ['polling'] });
    const [client, socket] = await connectSocket(h, '/', { transports: ['polling', 'websocket'] });
    socket.emit('ping-me');
    await within(new Promise((resolve) => client.once('ping-me', resolve)), 3000, 'event');
    expect(socket.conn.transport.name).toBe('polling');
    expect(client.io.engine.transport.name).toBe('polling');
  });

  it('polling through a Server with cors and credentials: the client connects and works', async () => {
    const h = await startServer({ cors: { origin: 'http://app.example', credentials: true } });
    const [client, socket] = await connectSocket(h, '/', { transports: ['polling'], extraHeaders: { Origin: 'http://app.example' } });
    socket.on('hello', (ack: (v: string) => void) => ack('world'));
    expect(await client.timeout(3000).emitWithAck('hello')).toBe('world');
  });
});

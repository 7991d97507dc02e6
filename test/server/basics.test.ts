import { closeAll, connected, startServer, waitFor, waitForArgs } from '../support/harness';

afterEach(closeAll);

describe('connection and events', () => {
  it('connects an official client; socket.id is the same on both sides', async () => {
    const h = await startServer();
    const serverSide = waitFor<import('../../src/server').Socket>(h.io, 'connection');
    const client = h.connect();
    const socket = await serverSide;
    await connected(client);
    expect(client.id).toBe(socket.id);
    expect(socket.rooms).toEqual(new Set([socket.id]));
  });

  it('delivers events both ways with acks', async () => {
    const h = await startServer();
    h.io.on('connection', (socket) => {
      socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value));
    });
    const client = h.connect();
    await connected(client);
    const reply = await client.emitWithAck('echo', { a: 1, b: [1, 2] });
    expect(reply).toEqual({ a: 1, b: [1, 2] });
  });

  it('server emit with ack reaches the client and the reply comes back', async () => {
    const h = await startServer();
    const client = h.connect();
    client.on('question', (q: number, ack: (a: number) => void) => ack(q * 2));
    const socket = await waitFor<import('../../src/server').Socket>(h.io, 'connection');
    await connected(client);
    await expect(socket.timeout(2000).emitWithAck('question', 21)).resolves.toBe(42);
  });

  it('binary both ways', async () => {
    const h = await startServer();
    h.io.on('connection', (socket) => {
      socket.on('upload', (payload: { a: Buffer }, extra: Buffer, ack: (x: unknown) => void) => {
        ack({ got: Buffer.concat([payload.a, extra]), isBuffer: Buffer.isBuffer(payload.a) });
      });
    });
    const client = h.connect();
    await connected(client);
    const reply = (await client.emitWithAck(
      'upload',
      { a: Buffer.from([1, 2]) },
      new Uint8Array([3]),
    )) as {
      got: ArrayBuffer | Buffer;
      isBuffer: boolean;
    };
    expect(reply.isBuffer).toBe(true);
    expect([...new Uint8Array(reply.got as ArrayBuffer)]).toEqual([1, 2, 3]);
  });

  it('disconnect reasons: client namespace disconnect', async () => {
    const h = await startServer();
    const client = h.connect();
    const socket = await waitFor<import('../../src/server').Socket>(h.io, 'connection');
    await connected(client);
    const reason = waitForArgs(socket, 'disconnect');
    client.disconnect();
    expect((await reason)[0]).toBe('client namespace disconnect');
  });
});

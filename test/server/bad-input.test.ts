// docs/internals/wire-protocol.md, "Protocol violations": bad input closes only the offending connection, with the reason visible
// (the server-side `disconnect` reason and/or the socket `error` event), and the server keeps
// serving other clients. These tests speak raw WebSocket frames (transport-specific by nature);
// the witness client uses whatever TEST_TRANSPORTS selects.
import type { Socket } from '../../src/server';
import { closeAll, connectSocket, startServer, waitFor, type Harness } from '../support/harness';
import { closeRawClients, rawConnect, type RawClient } from '../support/raw-client';

afterEach(async () => {
  jest.restoreAllMocks();
  closeRawClients();
  await closeAll();
});

async function serverWithWitness(opts = {}) {
  const h = await startServer(opts);
  h.io.on('connection', (socket) =>
    socket.on('echo', (v: unknown, ack: (v: unknown) => void) => ack(v)),
  );
  const [witness] = await connectSocket(h);
  return { h, witness };
}

/** The witness connected before the bad client still works, and so does a brand-new client. */
async function stillServing(
  h: Harness,
  witness: Awaited<ReturnType<typeof serverWithWitness>>['witness'],
): Promise<void> {
  expect(witness.connected).toBe(true);
  await expect(witness.timeout(2000).emitWithAck('echo', 'still here')).resolves.toBe('still here');
  const [fresh] = await connectSocket(h);
  await expect(fresh.timeout(2000).emitWithAck('echo', 1)).resolves.toBe(1);
}

/** A raw client connected to `/`, with its server-side socket. */
async function rawWithSocket(h: Harness): Promise<[RawClient, Socket]> {
  const raw = await rawConnect(h.port, { answerPings: true });
  const socket = waitFor<Socket>(h.io, 'connection');
  raw.send('40');
  const reply = (await raw.next()) as string;
  expect(reply).toMatch(/^40\{"sid":"[\w-]+"\}$/);
  return [raw, await socket];
}

/** Sends frames, then resolves with the socket's error message (if any) and disconnect reason. */
async function provoke(
  socket: Socket,
  raw: RawClient,
  ...frames: (string | Buffer)[]
): Promise<{ error?: string; reason: string }> {
  let error: string | undefined;
  socket.on('error', (e: Error) => (error = e.message));
  const reason = waitFor<string>(socket, 'disconnect');
  for (const f of frames) raw.send(f);
  const r = await reason;
  await raw.closed;
  return { error, reason: r };
}

describe('malformed Socket.IO packets (raw WebSocket)', () => {
  const cases: [string, (string | Buffer)[], string][] = [
    ['unknown packet type', ['47["x"]'], 'unknown packet type 7'],
    // The reference decoder reads the type with Number(): a letter reads as NaN.
    ['non-digit packet type', ['4x'], 'unknown packet type NaN'],
    ['bad JSON', ['42["unterminated'], 'invalid payload'],
    ['EVENT data not an array', ['42{"a":1}'], 'invalid payload'],
    ['EVENT with an empty array', ['42[]'], 'invalid payload'],
    ['non-numeric ack id', ['42abc["x"]'], 'invalid payload'],
    ['reserved event name from the client', ['42["disconnect"]'], 'invalid payload'],
    ['attachment count without dash', ['451["x"]'], 'Illegal attachments'],
    ['too many attachments', ['4511-["x"]'], 'too many attachments'],
    [
      'text while attachments are expected',
      ['451-["x",{"_placeholder":true,"num":0}]', '42["y"]'],
      'got plaintext data when reconstructing a packet',
    ],
    [
      'binary when none is expected',
      [Buffer.from([1, 2, 3])],
      'got binary data when not reconstructing a packet',
    ],
    [
      'placeholder out of range',
      ['451-["x",{"_placeholder":true,"num":3}]', Buffer.from([1])],
      'illegal attachments',
    ],
  ];

  it.each(cases)(
    '%s: socket error, forced close, others unaffected',
    async (_label, frames, message) => {
      const { h, witness } = await serverWithWitness();
      const [raw, socket] = await rawWithSocket(h);
      const { error, reason } = await provoke(socket, raw, ...frames);
      expect(error).toBe(message);
      expect(reason).toBe('forced close');
      await stillServing(h, witness);
    },
  );
});

describe('logging', () => {
  it('a bad packet with nobody listening for error stays silent (no process warning per bad client)', async () => {
    const { h, witness } = await serverWithWitness();
    const warn = jest.spyOn(process, 'emitWarning');
    const [raw, socket] = await rawWithSocket(h);
    const reason = waitFor<string>(socket, 'disconnect');
    raw.send('42{"bad":true}');
    expect(await reason).toBe('forced close');
    expect(warn).not.toHaveBeenCalled();
    await stillServing(h, witness);
  });
});

describe('Engine.IO-level garbage (raw WebSocket)', () => {
  it('an undecodable Engine.IO frame: parse error', async () => {
    const { h, witness } = await serverWithWitness();
    const [raw, socket] = await rawWithSocket(h);
    const { reason } = await provoke(socket, raw, 'garbage');
    expect(reason).toBe('parse error');
    await stillServing(h, witness);
  });

  it('an empty frame: parse error', async () => {
    const { h, witness } = await serverWithWitness();
    const [raw, socket] = await rawWithSocket(h);
    const { reason } = await provoke(socket, raw, '');
    expect(reason).toBe('parse error');
    await stillServing(h, witness);
  });

  it('a message over maxHttpBufferSize: close 1009, transport error', async () => {
    const { h, witness } = await serverWithWitness({ maxHttpBufferSize: 1000 });
    const [raw, socket] = await rawWithSocket(h);
    const reason = waitFor<string>(socket, 'disconnect');
    raw.send('42["big","' + 'x'.repeat(2000) + '"]');
    expect(await raw.closed).toBe(1009);
    expect(await reason).toBe('transport error');
    await stillServing(h, witness);
  });

  it('an attachment over maxHttpBufferSize: close 1009', async () => {
    const { h, witness } = await serverWithWitness({ maxHttpBufferSize: 1000 });
    const [raw, socket] = await rawWithSocket(h);
    const reason = waitFor<string>(socket, 'disconnect');
    raw.send('451-["x",{"_placeholder":true,"num":0}]');
    raw.send(Buffer.alloc(5000));
    expect(await raw.closed).toBe(1009);
    expect(await reason).toBe('transport error');
    await stillServing(h, witness);
  });
});

describe('protocol violations (raw WebSocket)', () => {
  it('unknown namespace: 44 "Invalid namespace", the session stays open and can connect another', async () => {
    const { h, witness } = await serverWithWitness();
    const raw = await rawConnect(h.port, { answerPings: true });
    raw.send('40/nope,');
    expect(await raw.next()).toBe('44/nope,{"message":"Invalid namespace"}');
    raw.send('40');
    expect(await raw.next()).toMatch(/^40\{"sid":"[\w-]+"\}$/);
    await stillServing(h, witness);
  });

  it('an event for a namespace the connection is not in: forced server close', async () => {
    const { h, witness } = await serverWithWitness();
    h.io.of('/b');
    const [raw, socket] = await rawWithSocket(h);
    const { reason } = await provoke(socket, raw, '42/b,["x"]');
    expect(reason).toBe('forced server close');
    await stillServing(h, witness);
  });

  it('an event before any CONNECT: the session closes', async () => {
    const { h, witness } = await serverWithWitness();
    const raw = await rawConnect(h.port, { answerPings: true });
    raw.send('42["early"]');
    await raw.closed;
    await stillServing(h, witness);
  });

  it('a second CONNECT for a connected namespace: forced server close', async () => {
    const { h, witness } = await serverWithWitness();
    const [raw, socket] = await rawWithSocket(h);
    const { reason } = await provoke(socket, raw, '40');
    expect(reason).toBe('forced server close');
    await stillServing(h, witness);
  });

  it('a second CONNECT while the first one still runs its middlewares: the session closes, no socket is left behind', async () => {
    const { h, witness } = await serverWithWitness();
    let release!: () => void;
    const entered = new Promise<void>((resolve) =>
      h.io.of('/slow').use((_s, next) => {
        release = next;
        resolve();
      }),
    );
    const raw = await rawConnect(h.port, { answerPings: true });
    raw.send('40/slow,');
    await entered;
    raw.send('40/slow,');
    await raw.closed;
    release();
    expect(h.io.of('/slow').sockets.size).toBe(0);
    await stillServing(h, witness);
  });

  it('a CONNECT_ERROR from the client: forced server close', async () => {
    const { h, witness } = await serverWithWitness();
    const [raw, socket] = await rawWithSocket(h);
    const { reason } = await provoke(socket, raw, '44{"message":"client says no"}');
    expect(reason).toBe('forced server close');
    await stillServing(h, witness);
  });

  it('a client that never sends 40: connectTimeout closes the session', async () => {
    const { h, witness } = await serverWithWitness({ connectTimeout: 50 });
    const raw = await rawConnect(h.port, { answerPings: true });
    const session = [...h.io.engine.clients.values()].find((s) => s.id === raw.open.sid)!;
    const reason = waitFor<string>(session, 'close');
    await raw.closed;
    expect(await reason).toBe('forced close');
    await stillServing(h, witness);
  });

  it('connectTimeout does not close a session whose namespace connected', async () => {
    const { h, witness } = await serverWithWitness({
      connectTimeout: 30,
      pingInterval: 60,
      pingTimeout: 1000,
    });
    // One full heartbeat after the timeout: the session survived it.
    const [, socket] = await connectSocket(h);
    await waitFor(socket.conn, 'heartbeat');
    expect(socket.connected).toBe(true);
    await stillServing(h, witness);
  });

  it('a refused-then-abandoned connection (middleware refusal, never connects) is closed by connectTimeout', async () => {
    const { h, witness } = await serverWithWitness({ connectTimeout: 50 });
    h.io.of('/locked').use((_s, next) => next(new Error('locked')));
    const raw = await rawConnect(h.port, { answerPings: true });
    raw.send('40/locked,');
    expect(await raw.next()).toBe('44/locked,{"message":"locked"}');
    await raw.closed;
    await stillServing(h, witness);
  });
});

describe('handlers that throw', () => {
  it('a throwing event listener costs that event only: error event, socket stays, process survives', async () => {
    const { h, witness } = await serverWithWitness();
    h.io.on('connection', (socket) => {
      socket.on('explode', () => {
        throw new Error('handler bug');
      });
    });
    const [client, socket] = await connectSocket(h);
    const err = waitFor<Error>(socket, 'error');
    client.emit('explode');
    expect((await err).message).toBe('handler bug');
    expect(socket.connected).toBe(true);
    await expect(client.timeout(2000).emitWithAck('echo', 'after')).resolves.toBe('after');
    await stillServing(h, witness);
  });

  it('a throwing listener without an error listener becomes a process warning, not a crash', async () => {
    const { h, witness } = await serverWithWitness();
    h.io.on('connection', (socket) => {
      socket.on('explode', () => {
        throw new Error('unobserved bug');
      });
    });
    const warning = new Promise<unknown>((resolve) =>
      jest
        .spyOn(process, 'emitWarning')
        .mockImplementationOnce((message: string | Error) => resolve(message)),
    );
    const [client] = await connectSocket(h);
    client.emit('explode');
    expect(await warning).toBe('unobserved bug');
    await expect(client.timeout(2000).emitWithAck('echo', 'after')).resolves.toBe('after');
    await stillServing(h, witness);
  });

  it('an async listener that rejects is reported as error', async () => {
    const { h, witness } = await serverWithWitness();
    h.io.on('connection', (socket) => {
      socket.on('async-explode', async () => {
        throw new Error('async bug');
      });
    });
    const [client, socket] = await connectSocket(h);
    const err = waitFor<Error>(socket, 'error');
    client.emit('async-explode');
    expect((await err).message).toBe('async bug');
    await stillServing(h, witness);
  });

  it('a throwing connection listener: the socket stays connected, error reported', async () => {
    const h = await startServer();
    h.io.use((socket, next) => {
      socket.on('error', () => undefined);
      next();
    });
    h.io.on('connection', () => {
      throw new Error('connection handler bug');
    });
    h.io.on('connection', (socket) =>
      socket.on('echo', (v: unknown, ack: (v: unknown) => void) => ack(v)),
    );
    const [client, socket] = await connectSocket(h);
    expect(socket.connected).toBe(true);
    // A throwing listener stops the listeners after it (EventEmitter semantics): no echo here.
    await expect(client.timeout(50).emitWithAck('echo', 1)).rejects.toThrow(
      'operation has timed out',
    );
  });
});

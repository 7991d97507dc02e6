// docs/internals/server-semantics.md, "Sockets and events": events both ways, acknowledgements, timeouts, emitWithAck, binary,
// reserved names, catch-all listeners.
import { closeAll, connectSocket, startServer, waitFor, waitForArgs } from '../support/harness';

afterEach(closeAll);

describe('events', () => {
  it('socket.emit reaches the client with every JSON type; client events reach socket.on', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const values = [
      1,
      'two',
      true,
      null,
      { nested: { deep: [1, 2, { x: 'y' }] } },
      [1, [2, [3]]],
      1.5,
      '',
    ];
    const got = waitForArgs(client, 'values');
    socket.emit('values', ...values);
    expect(await got).toEqual(values);
    const back = waitForArgs(socket, 'values');
    client.emit('values', ...values);
    expect(await back).toEqual(values);
  });

  it('numeric event names from clients are delivered', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const got = waitFor(socket, '42');
    client.emit(42 as unknown as string, 'numbered');
    expect(await got).toBe('numbered');
  });

  it('send/write emit a "message" event', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const got = waitForArgs(client, 'message');
    expect(socket.send('a', 1)).toBe(socket);
    expect(await got).toEqual(['a', 1]);
    const got2 = waitForArgs(client, 'message');
    socket.write('b');
    expect(await got2).toEqual(['b']);
  });

  it('an emit from the connection listener reaches the client after its connect', async () => {
    const h = await startServer();
    h.io.on('connection', (socket) => socket.emit('welcome', socket.id));
    const client = h.connect();
    const seen = new Promise<[boolean, unknown]>((resolve) =>
      client.on('welcome', (id: unknown) => resolve([client.connected, id])),
    );
    const [wasConnected, id] = await seen;
    expect(wasConnected).toBe(true);
    expect(id).toBe(client.id);
  });

  it('socket.data starts as an empty object and is settable', async () => {
    const h = await startServer();
    const [, socket] = await connectSocket(h);
    expect(socket.data).toEqual({});
    socket.data = { replaced: true };
    expect((await h.io.fetchSockets())[0].data).toEqual({ replaced: true });
  });

  it('emit returns true', async () => {
    const h = await startServer();
    const [, socket] = await connectSocket(h);
    expect(socket.emit('x')).toBe(true);
  });
});

describe('acknowledgements', () => {
  it('client → server: the handler gets a callback; only the first call answers', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    socket.on('add', (a: number, b: number, ack: (sum: number) => void) => {
      ack(a + b);
      ack(-1);
    });
    expect(await client.emitWithAck('add', 2, 3)).toBe(5);
    // The second call sent nothing: the next ack is still the right one.
    expect(await client.emitWithAck('add', 10, 20)).toBe(30);
  });

  it('client → server ack with several values and binary', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    socket.on('multi', (ack: (...a: unknown[]) => void) => ack('a', Buffer.from([7]), { b: 2 }));
    const reply = await new Promise<unknown[]>((resolve) =>
      client.emit('multi', (...args: unknown[]) => resolve(args)),
    );
    expect(reply[0]).toBe('a');
    expect([...new Uint8Array(reply[1] as ArrayBuffer)]).toEqual([7]);
    expect(reply[2]).toEqual({ b: 2 });
  });

  it('server → client: the callback gets the client reply', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    client.on('ask', (q: string, ack: (a: string, b: number) => void) => ack(q.toUpperCase(), 2));
    const args = await new Promise<unknown[]>((resolve) =>
      socket.emit('ask', 'hi', (...a: unknown[]) => resolve(a)),
    );
    expect(args).toEqual(['HI', 2]);
  });

  it('server → client: emitWithAck resolves with the reply', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    client.on('ask', (ack: (v: string) => void) => ack('yes'));
    await expect(socket.emitWithAck('ask')).resolves.toBe('yes');
  });

  it('server → client with timeout: (null, reply) in time, (err) when late', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    client.on('fast', (ack: (v: number) => void) => ack(1));
    client.on('never', () => undefined);
    const fast = await new Promise<unknown[]>((resolve) =>
      socket.timeout(1000).emit('fast', (...a: unknown[]) => resolve(a)),
    );
    expect(fast).toEqual([null, 1]);
    const slow = await new Promise<unknown[]>((resolve) =>
      socket.timeout(30).emit('never', (...a: unknown[]) => resolve(a)),
    );
    expect((slow[0] as Error).message).toBe('operation has timed out');
    expect(slow).toHaveLength(1);
    await expect(socket.timeout(30).emitWithAck('never')).rejects.toThrow(
      'operation has timed out',
    );
  });

  it('a late ack after the timeout is ignored', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    let lateAck!: (v: string) => void;
    const asked = new Promise<void>((resolve) =>
      client.on('slow', (ack: (v: string) => void) => {
        lateAck = ack;
        resolve();
      }),
    );
    const cb = jest.fn();
    const timedOut = new Promise<void>((resolve) =>
      socket.timeout(20).emit('slow', (...a: unknown[]) => {
        cb(...a);
        resolve();
      }),
    );
    await asked;
    await timedOut;
    lateAck('too late');
    // A round trip after the late ack proves it arrived and was dropped.
    client.on('ping2', (ack: () => void) => ack());
    await socket.emitWithAck('ping2');
    expect(cb).toHaveBeenCalledTimes(1);
    expect((cb.mock.calls[0][0] as Error).message).toBe('operation has timed out');
  });

  it('the timeout flag applies to one emit only', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    client.on('later', (ack: (v: number) => void) => setTimeout(() => ack(5), 60));
    const timedOut = socket.timeout(10).emitWithAck('later');
    const noTimeout = socket.emitWithAck('later');
    await expect(timedOut).rejects.toThrow('operation has timed out');
    await expect(noTimeout).resolves.toBe(5);
  });

  it('client timeout when the server handler never answers', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    socket.on('ignored', () => undefined);
    await expect(client.timeout(30).emitWithAck('ignored')).rejects.toThrow(
      'operation has timed out',
    );
  });

  it('ack ids count per namespace and interleave correctly', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    client.on('echo', (v: number, ack: (v: number) => void) => setTimeout(() => ack(v), 10 - v));
    const replies = await Promise.all([1, 2, 3, 4, 5].map((v) => socket.emitWithAck('echo', v)));
    expect(replies).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('unserialisable data', () => {
  it('emit throws WG_ERR_INVALID_ARGUMENT and leaves no pending ack or timer; the socket keeps working', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const cb = jest.fn();
    const codeOf = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (err) {
        return (err as { code?: string }).code;
      }
      return 'did not throw';
    };
    const timers = jest.spyOn(global, 'setTimeout');
    try {
      expect(codeOf(() => socket.timeout(1000).emit('x', circular, cb))).toBe(
        'WG_ERR_INVALID_ARGUMENT',
      );
      expect(codeOf(() => h.io.timeout(1000).emit('x', circular, cb))).toBe(
        'WG_ERR_INVALID_ARGUMENT',
      );
      expect(timers).not.toHaveBeenCalled();
    } finally {
      timers.mockRestore();
    }
    client.on('ok', (ack: (v: number) => void) => ack(1));
    await expect(socket.timeout(1000).emitWithAck('ok')).resolves.toBe(1);
    expect(cb).not.toHaveBeenCalled();
  });
});

describe('binary payloads', () => {
  it('server → client: Buffer, ArrayBuffer, typed arrays, nested', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const got = waitForArgs(client, 'bin');
    const ab = new Uint8Array([9, 8]).buffer;
    socket.emit('bin', Buffer.from([1, 2, 3]), ab, new Uint16Array([1, 513]), {
      deep: [{ buf: Buffer.from('hi') }],
      n: 1,
    });
    const [buf, arr, u16, nested] = (await got) as [
      ArrayBuffer,
      ArrayBuffer,
      ArrayBuffer,
      { deep: [{ buf: ArrayBuffer }]; n: number },
    ];
    expect([...new Uint8Array(buf)]).toEqual([1, 2, 3]);
    expect([...new Uint8Array(arr)]).toEqual([9, 8]);
    // Node clients hand out Buffers: compare the bytes (little-endian 1, 513).
    expect([...Buffer.from(u16 as ArrayBuffer)]).toEqual([1, 0, 1, 2]);
    expect(Buffer.from(nested.deep[0].buf).toString()).toBe('hi');
    expect(nested.n).toBe(1);
  });

  it('client → server: binary arrives as Buffers, anywhere in the arguments', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const got = waitForArgs(socket, 'bin');
    client.emit(
      'bin',
      new Uint8Array([1, 2]).buffer,
      { a: [new Uint8Array([3])] },
      new Float32Array([1.5]),
      'text',
    );
    const [ab, nested, f32, text] = (await got) as [Buffer, { a: [Buffer] }, Buffer, string];
    expect(Buffer.isBuffer(ab)).toBe(true);
    expect([...ab]).toEqual([1, 2]);
    expect(Buffer.isBuffer(nested.a[0])).toBe(true);
    expect([...nested.a[0]]).toEqual([3]);
    expect(f32.readFloatLE(0)).toBe(1.5);
    expect(text).toBe('text');
  });

  it('binary in acks both ways', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    client.on('give', (ack: (b: Uint8Array) => void) => ack(new Uint8Array([4, 5])));
    const fromClient = (await socket.emitWithAck('give')) as Buffer;
    expect(Buffer.isBuffer(fromClient)).toBe(true);
    expect([...fromClient]).toEqual([4, 5]);
    socket.on('take', (ack: (b: Buffer) => void) => ack(Buffer.from([6])));
    const fromServer = (await client.emitWithAck('take')) as ArrayBuffer;
    expect([...new Uint8Array(fromServer)]).toEqual([6]);
  });

  it('a broadcast with binary reaches every client', async () => {
    const h = await startServer();
    const [a] = await connectSocket(h);
    const [b] = await connectSocket(h);
    const gotA = waitFor<ArrayBuffer>(a, 'b');
    const gotB = waitFor<ArrayBuffer>(b, 'b');
    h.io.emit('b', Buffer.from([1]));
    expect([...new Uint8Array(await gotA)]).toEqual([1]);
    expect([...new Uint8Array(await gotB)]).toEqual([1]);
  });
});

describe('reserved event names', () => {
  const reserved = [
    'connect',
    'connect_error',
    'disconnect',
    'disconnecting',
    'newListener',
    'removeListener',
  ];

  it.each(reserved)('socket.emit / io.emit / nsp.emit / operators throw for "%s"', async (name) => {
    const h = await startServer();
    const [, socket] = await connectSocket(h);
    const message = `"${name}" is a reserved event name`;
    expect(() => socket.emit(name)).toThrow(message);
    expect(() => h.io.emit(name)).toThrow(message);
    expect(() => h.io.of('/x').emit(name)).toThrow(message);
    expect(() => h.io.to('r').emit(name)).toThrow(message);
    expect(() => socket.broadcast.emit(name)).toThrow(message);
    expect(() => socket.to('r').emit(name)).toThrow(message);
    expect(() => h.io.timeout(10).emit(name, () => undefined)).toThrow(message);
  });

  it('throws a WiregateError with code WG_ERR_RESERVED_EVENT', async () => {
    const h = await startServer();
    const [, socket] = await connectSocket(h);
    try {
      socket.emit('disconnect');
      throw new Error('did not throw');
    } catch (err) {
      expect((err as { code?: string }).code).toBe('WG_ERR_RESERVED_EVENT');
      expect((err as Error).message).toBe('"disconnect" is a reserved event name');
    }
  });

  it('serverSideEmit reserves connect, connection and new_namespace', async () => {
    const h = await startServer();
    for (const name of ['connect', 'connection', 'new_namespace']) {
      expect(() => h.io.serverSideEmit(name)).toThrow(`"${name}" is a reserved event name`);
    }
    expect(h.io.serverSideEmit('fine')).toBe(true);
  });
});

describe('catch-all listeners', () => {
  it('onAny gets every incoming event before the listeners; prependAny goes first; offAny removes', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const calls: unknown[] = [];
    const any1 = (ev: string, ...args: unknown[]) => calls.push(['any1', ev, ...args]);
    const any0 = (ev: string, ...args: unknown[]) => calls.push(['any0', ev, ...args]);
    socket.onAny(any1);
    socket.prependAny(any0);
    socket.on('e', (x: number) => calls.push(['on', x]));
    expect(socket.listenersAny()).toEqual([any0, any1]);
    const got = waitFor(socket, 'e');
    client.emit('e', 1);
    await got;
    expect(calls).toEqual([
      ['any0', 'e', 1],
      ['any1', 'e', 1],
      ['on', 1],
    ]);
    socket.offAny(any0);
    expect(socket.listenersAny()).toEqual([any1]);
    socket.offAny();
    expect(socket.listenersAny()).toEqual([]);
    calls.length = 0;
    const got2 = waitFor(socket, 'e');
    client.emit('e', 2);
    await got2;
    expect(calls).toEqual([['on', 2]]);
  });

  it('onAny sees the ack callback as last argument', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const seen = new Promise<unknown[]>((resolve) =>
      socket.onAny((...args: unknown[]) => resolve(args)),
    );
    socket.on('q', (ack: (v: number) => void) => ack(1));
    await client.emitWithAck('q');
    const args = await seen;
    expect(args[0]).toBe('q');
    expect(typeof args[1]).toBe('function');
  });

  it('onAnyOutgoing/prependAnyOutgoing/offAnyOutgoing see emits and broadcasts', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const out: unknown[] = [];
    const l1 = (ev: string, ...args: unknown[]) => out.push(['l1', ev, ...args]);
    const l0 = (ev: string, ...args: unknown[]) => out.push(['l0', ev, ...args]);
    socket.onAnyOutgoing(l1);
    socket.prependAnyOutgoing(l0);
    expect(socket.listenersAnyOutgoing()).toEqual([l0, l1]);
    const got = waitFor(client, 'hello');
    socket.emit('hello', 'x');
    await got;
    expect(out).toEqual([
      ['l0', 'hello', 'x'],
      ['l1', 'hello', 'x'],
    ]);
    out.length = 0;
    socket.offAnyOutgoing(l0);
    const got2 = waitFor(client, 'all');
    h.io.emit('all', 1);
    await got2;
    expect(out).toEqual([['l1', 'all', 1]]);
    socket.offAnyOutgoing();
    expect(socket.listenersAnyOutgoing()).toEqual([]);
  });
});

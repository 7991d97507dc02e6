// docs/internals/server-semantics.md, "Broadcasting": broadcasting with to/in/except, sender exclusion, no duplicates,
// flags, broadcast acks.
import type { Socket as ClientSocket } from 'socket.io-client';
import { BroadcastOperator } from '../../src/server';
import { closeAll, connectSocket, startServer, waitFor, type Harness } from '../support/harness';

afterEach(closeAll);

/**
 * Emits `probe` as a broadcast, then a `done` marker to every client. Since delivery is in
 * order per connection, when each client has seen `done` we know exactly who got `probe`
 * and how often.
 */
async function received(
  h: Harness,
  clients: Record<string, ClientSocket>,
  send: () => void,
  nsp = '/',
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const done: Promise<void>[] = [];
  for (const [name, c] of Object.entries(clients)) {
    counts[name] = 0;
    c.on('probe', () => counts[name]++);
    done.push(waitFor(c, 'done').then(() => undefined));
  }
  send();
  h.io.of(nsp).emit('done');
  await Promise.all(done);
  for (const c of Object.values(clients)) c.off('probe');
  return counts;
}

async function fourClients(h: Harness) {
  const [a, sa] = await connectSocket(h);
  const [b, sb] = await connectSocket(h);
  const [c, sc] = await connectSocket(h);
  const [d, sd] = await connectSocket(h);
  sa.join(['r1']);
  sb.join(['r1', 'r2']);
  sc.join(['r2', 'r3']);
  sd.join(['r4']);
  return { clients: { a, b, c, d }, sockets: { sa, sb, sc, sd } };
}

describe('broadcasting', () => {
  it('io.emit and io.sockets.emit reach every socket of the main namespace only', async () => {
    const h = await startServer();
    const { clients } = await fourClients(h);
    h.io.of('/other');
    const [other] = await connectSocket(h, '/other');
    const otherGot = jest.fn();
    other.on('probe', otherGot);
    expect(await received(h, clients, () => h.io.emit('probe'))).toEqual({
      a: 1,
      b: 1,
      c: 1,
      d: 1,
    });
    expect(await received(h, clients, () => h.io.sockets.emit('probe'))).toEqual({
      a: 1,
      b: 1,
      c: 1,
      d: 1,
    });
    const otherDone = waitFor(other, 'done');
    h.io.of('/other').emit('done');
    await otherDone;
    expect(otherGot).not.toHaveBeenCalled();
  });

  it('io.of(ns).emit reaches that namespace', async () => {
    const h = await startServer();
    h.io.of('/x');
    const [x] = await connectSocket(h, '/x');
    const [y] = await connectSocket(h, '/x');
    expect(await received(h, { x, y }, () => h.io.of('/x').emit('probe'), '/x')).toEqual({
      x: 1,
      y: 1,
    });
  });

  it('to(a).to([b, c]) is the union, each recipient once', async () => {
    const h = await startServer();
    const { clients } = await fourClients(h);
    expect(await received(h, clients, () => h.io.to('r1').to(['r2', 'r3']).emit('probe'))).toEqual({
      a: 1,
      b: 1,
      c: 1,
      d: 0,
    });
    expect(await received(h, clients, () => h.io.in(['r1', 'r2']).emit('probe'))).toEqual({
      a: 1,
      b: 1,
      c: 1,
      d: 0,
    });
  });

  it('except removes the sockets of the excluded rooms', async () => {
    const h = await startServer();
    const { clients } = await fourClients(h);
    expect(
      await received(h, clients, () => h.io.to(['r1', 'r2']).except('r3').emit('probe')),
    ).toEqual({ a: 1, b: 1, c: 0, d: 0 });
    expect(await received(h, clients, () => h.io.except(['r1']).emit('probe'))).toEqual({
      a: 0,
      b: 0,
      c: 1,
      d: 1,
    });
    expect(await received(h, clients, () => h.io.except('r1').except('r4').emit('probe'))).toEqual({
      a: 0,
      b: 0,
      c: 1,
      d: 0,
    });
  });

  it('socket.to(room) and socket.broadcast exclude the sender', async () => {
    const h = await startServer();
    const { clients, sockets } = await fourClients(h);
    expect(await received(h, clients, () => sockets.sb.to('r1').emit('probe'))).toEqual({
      a: 1,
      b: 0,
      c: 0,
      d: 0,
    });
    expect(await received(h, clients, () => sockets.sb.broadcast.emit('probe'))).toEqual({
      a: 1,
      b: 0,
      c: 1,
      d: 1,
    });
    expect(
      await received(h, clients, () => sockets.sb.in(['r1', 'r2']).except('r3').emit('probe')),
    ).toEqual({ a: 1, b: 0, c: 0, d: 0 });
    expect(await received(h, clients, () => sockets.sb.except('r4').emit('probe'))).toEqual({
      a: 1,
      b: 0,
      c: 1,
      d: 0,
    });
  });

  it('a room with no members reaches nobody', async () => {
    const h = await startServer();
    const { clients } = await fourClients(h);
    expect(await received(h, clients, () => h.io.to('empty').emit('probe'))).toEqual({
      a: 0,
      b: 0,
      c: 0,
      d: 0,
    });
  });

  it('operators are immutable', async () => {
    const h = await startServer();
    const { clients } = await fourClients(h);
    const base = h.io.to('r1');
    expect(base).toBeInstanceOf(BroadcastOperator);
    const narrowed = base.except('r2');
    expect(narrowed).not.toBe(base);
    expect(await received(h, clients, () => base.emit('probe'))).toEqual({
      a: 1,
      b: 1,
      c: 0,
      d: 0,
    });
    expect(await received(h, clients, () => narrowed.emit('probe'))).toEqual({
      a: 1,
      b: 0,
      c: 0,
      d: 0,
    });
  });

  it('flags: volatile, compress(bool) and local still deliver to ready clients', async () => {
    const h = await startServer();
    const { clients, sockets } = await fourClients(h);
    expect(await received(h, clients, () => h.io.volatile.emit('probe'))).toEqual({
      a: 1,
      b: 1,
      c: 1,
      d: 1,
    });
    expect(await received(h, clients, () => h.io.compress(false).to('r1').emit('probe'))).toEqual({
      a: 1,
      b: 1,
      c: 0,
      d: 0,
    });
    expect(await received(h, clients, () => h.io.local.to('r4').emit('probe'))).toEqual({
      a: 0,
      b: 0,
      c: 0,
      d: 1,
    });
    expect(await received(h, clients, () => sockets.sa.volatile.emit('probe'))).toEqual({
      a: 1,
      b: 0,
      c: 0,
      d: 0,
    });
    expect(await received(h, clients, () => sockets.sa.compress(true).emit('probe'))).toEqual({
      a: 1,
      b: 0,
      c: 0,
      d: 0,
    });
    expect(await received(h, clients, () => sockets.sa.local.emit('probe'))).toEqual({
      a: 0,
      b: 1,
      c: 1,
      d: 1,
    });
  });

  it('compress(false) reaches the engine as a per-message send option; the default leaves it unset', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    const created: { data?: unknown; compress?: boolean }[] = [];
    socket.conn.on('packetCreate', (p: { data?: unknown; compress?: boolean }) => created.push(p));
    const got = Promise.all([waitFor(client, 'a'), waitFor(client, 'b'), waitFor(client, 'c')]);
    socket.compress(false).emit('a');
    h.io.compress(false).emit('b');
    socket.emit('c');
    await got;
    const byEvent = (ev: string) =>
      created.find((p) => typeof p.data === 'string' && p.data.startsWith(`2["${ev}"`));
    expect(byEvent('a')?.compress).toBe(false);
    expect(byEvent('b')?.compress).toBe(false);
    expect(byEvent('c')?.compress).toBeUndefined();
  });

  it('volatile packets are dropped when the client cannot take them now (raw polling: nothing held, something waiting)', async () => {
    const h = await startServer();
    const http = async (method: string, query: string, body?: string): Promise<string> => {
      const res = await fetch(`${h.url}/socket.io/?EIO=4&transport=polling${query}`, {
        method,
        body,
      });
      return res.text();
    };
    const open = await http('GET', '');
    const sid = JSON.parse(open.slice(1)).sid as string;
    const connection = waitFor<import('../../src/server').Socket>(h.io, 'connection');
    expect(await http('POST', `&sid=${sid}`, '40')).toBe('ok');
    const socket = await connection;
    expect(await http('GET', `&sid=${sid}`)).toBe(`40{"sid":"${socket.id}"}`);
    // No GET is held now. The first packet waits in the buffer; volatile ones behind it are dropped.
    socket.emit('kept');
    socket.volatile.emit('dropped');
    h.io.volatile.emit('dropped-broadcast');
    socket.emit('kept-too');
    expect(await http('GET', `&sid=${sid}`)).toBe('42["kept"]\x1e42["kept-too"]');
    await http('POST', `&sid=${sid}`, '1');
  });

  it('flags set on a socket before to() go to that broadcast, not to the socket\'s next emit', async () => {
    const h = await startServer();
    const http = async (method: string, query: string, body?: string): Promise<string> =>
      (await fetch(`${h.url}/socket.io/?EIO=4&transport=polling${query}`, { method, body })).text();
    const sid = JSON.parse((await http('GET', '')).slice(1)).sid as string;
    const connection = waitFor<import('../../src/server').Socket>(h.io, 'connection');
    expect(await http('POST', `&sid=${sid}`, '40')).toBe('ok');
    const socket = await connection;
    expect(await http('GET', `&sid=${sid}`)).toBe(`40{"sid":"${socket.id}"}`);
    // Something waits for this polling client, so a volatile emit to it would be dropped now.
    socket.emit('kept');
    socket.volatile.to('elsewhere').emit('broadcast');
    socket.emit('direct');
    expect(await http('GET', `&sid=${sid}`)).toBe('42["kept"]\x1e42["direct"]');
    await http('POST', `&sid=${sid}`, '1');
  });

  it('io.send / io.write and nsp.send emit "message"', async () => {
    const h = await startServer();
    const [a] = await connectSocket(h);
    const got = waitFor(a, 'message');
    expect(h.io.send('hi')).toBe(h.io);
    expect(await got).toBe('hi');
    const got2 = waitFor(a, 'message');
    h.io.write('again');
    expect(await got2).toBe('again');
  });
});

describe('broadcast acknowledgements', () => {
  it('io.timeout(ms).emit(ev, cb) → (null, responses[]) once every recipient answered', async () => {
    const h = await startServer();
    const [a] = await connectSocket(h);
    const [b] = await connectSocket(h);
    a.on('vote', (ack: (v: string) => void) => ack('a'));
    b.on('vote', (ack: (v: string) => void) => ack('b'));
    const [err, responses] = await new Promise<[Error | null, string[]]>((resolve) =>
      h.io.timeout(1000).emit('vote', (e: Error | null, r: string[]) => resolve([e, r])),
    );
    expect(err).toBeNull();
    expect(responses.sort()).toEqual(['a', 'b']);
  });

  it('on timeout: (Error("operation has timed out"), responsesSoFar)', async () => {
    const h = await startServer();
    const [a] = await connectSocket(h);
    const [b] = await connectSocket(h);
    a.on('vote', (ack: (v: string) => void) => ack('a'));
    b.on('vote', () => undefined);
    const [err, responses] = await new Promise<[Error | null, string[]]>((resolve) =>
      h.io.timeout(50).emit('vote', (e: Error | null, r: string[]) => resolve([e, r])),
    );
    expect(err?.message).toBe('operation has timed out');
    expect(responses).toEqual(['a']);
  });

  it('zero recipients: (null, []) at once', async () => {
    const h = await startServer();
    await connectSocket(h);
    const [err, responses] = await new Promise<[Error | null, unknown[]]>((resolve) =>
      h.io
        .to('nobody')
        .timeout(10000)
        .emit('vote', (e: Error | null, r: unknown[]) => resolve([e, r])),
    );
    expect(err).toBeNull();
    expect(responses).toEqual([]);
  });

  it('emitWithAck resolves with every reply, or rejects with err.responses', async () => {
    const h = await startServer();
    const [a, sa] = await connectSocket(h);
    const [b] = await connectSocket(h);
    sa.join('room');
    a.on('q', (ack: (v: number) => void) => ack(1));
    b.on('q', () => undefined);
    await expect(h.io.to('room').timeout(1000).emitWithAck('q')).resolves.toEqual([1]);
    const err = (await h.io
      .timeout(50)
      .emitWithAck('q')
      .catch((e: unknown) => e)) as Error & { responses: unknown[] };
    expect(err.message).toBe('operation has timed out');
    expect(err.responses).toEqual([1]);
    await expect(h.io.of('/').to('room').emitWithAck('q')).resolves.toEqual([1]);
  });

  it('io.close() fails a pending broadcast ack at once ("server shutting down", with the responses so far)', async () => {
    const h = await startServer();
    const [a] = await connectSocket(h);
    await connectSocket(h);
    const answered = new Promise<void>((resolve) =>
      a.on('q', (ack: (v: string) => void) => {
        ack('a');
        resolve();
      }),
    );
    type AckError = Error & { responses: unknown[]; code: string };
    const rejected: Promise<AckError> = h.io
      .timeout(10000)
      .emitWithAck('q')
      .then(
        () => new Error('resolved') as AckError,
        (e: unknown) => e as AckError,
      );
    await answered;
    // The reply from `a` is on its way; the server's own handling of it is what we await next.
    await new Promise<void>((resolve) => {
      const [sa] = [...h.io.sockets.sockets.values()].filter((s) => s.id === a.id);
      sa.conn.once('packet', () => setImmediate(resolve));
    });
    await h.io.close();
    const err = await rejected;
    expect(err.message).toBe('server shutting down');
    expect(err.code).toBe('WG_ERR_ACK_TIMEOUT');
    expect(err.responses).toEqual(['a']);
  });

  it('socket.broadcast.timeout(ms).emit collects replies from the others only', async () => {
    const h = await startServer();
    const [a, sa] = await connectSocket(h);
    const [b] = await connectSocket(h);
    a.on('q', (ack: (v: string) => void) => ack('a'));
    b.on('q', (ack: (v: string) => void) => ack('b'));
    await expect(sa.broadcast.timeout(1000).emitWithAck('q')).resolves.toEqual(['b']);
  });
});

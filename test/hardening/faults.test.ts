// Faults in the application and shutdown under load: a listener that throws or rejects, a
// middleware that throws or never answers, io.close() while traffic flows. The process
// survives, the client gets only the error's message, and nothing is left running.
import type { Socket as ClientSocket } from 'socket.io-client';
import type { Socket } from '../../src/server';
import {
  trackServerTimers,
  assertAnswered,
  closeEverything,
  expectNothingLeaked,
  installEcho,
  live,
  nextEvent,
  officialClient,
  untilNoSessions,
  within,
} from './support';

afterEach(closeEverything);

describe('a listener that fails', () => {
  it('throws: the error reaches socket "error", the connection and the server carry on', async () => {
    const l = await live();
    installEcho(l.io);
    const errors: unknown[] = [];
    l.io.on('connection', (s: Socket) => {
      s.on('error', (err) => errors.push(err));
      s.on('boom', () => {
        throw new Error('listener failed');
      });
    });
    const c = officialClient(l);
    await within(5000, 'connect', nextEvent(c, 'connect'));
    c.emit('boom');
    // The same connection is still served after the failure.
    expect(await within(5000, 'echo', c.timeout(4000).emitWithAck('echo', 1))).toBe(1);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('listener failed');
    await assertAnswered(l);
  });

  it('rejects (async listener): routed to socket "error", never an unhandled rejection', async () => {
    const l = await live();
    installEcho(l.io);
    const errors: unknown[] = [];
    l.io.on('connection', (s: Socket) => {
      s.on('error', (err) => errors.push(err));
      s.on('boom', async () => {
        await Promise.resolve();
        throw new Error('async listener failed');
      });
    });
    const c = officialClient(l);
    await within(5000, 'connect', nextEvent(c, 'connect'));
    const failed = new Promise<void>((resolve) => {
      const s = [...l.io.of('/').sockets.values()][0];
      s.once('error', () => resolve());
    });
    c.emit('boom');
    await within(5000, 'the rejection to reach "error"', failed);
    expect((errors[0] as Error).message).toBe('async listener failed');
    expect(await within(5000, 'echo', c.timeout(4000).emitWithAck('echo', 2))).toBe(2);
  });
});

describe('a middleware that fails', () => {
  it('throws: the client gets connect_error with the message only, no stack, no internals', async () => {
    const l = await live();
    l.io.use(() => {
      throw new Error('database unavailable');
    });
    const c = officialClient(l);
    const [err] = (await within(5000, 'connect_error', nextEvent(c, 'connect_error'))) as [
      Error & { data?: unknown },
    ];
    expect(err.message).toBe('database unavailable');
    expect(err.data).toBeUndefined();
    expect(JSON.stringify(err)).not.toMatch(/\.ts:\d+|at .*\(/);
  });

  it('never calls next: the connect timeout ends the session and nothing is left behind', async () => {
    const l = await live({ connectTimeout: 200 });
    l.io.use(() => undefined);
    const opened = nextEvent(l.io.engine, 'connection');
    officialClient(l);
    const [session] = (await within(5000, 'the session', opened)) as [
      import('../../src/engine').EngineSession,
    ];
    const [reason] = await within(5000, 'the session to end', nextEvent(session, 'close'));
    expect(reason).toBe('forced close');
    await untilNoSessions(l.io);
    expectNothingLeaked(l.io);
  });
});

describe('io.close() while traffic is flowing', () => {
  it('disconnects every client, clears every timer of its own, and leaves nothing in the registries', async () => {
    const timers = trackServerTimers();
    const l = await live();
    installEcho(l.io);
    l.io.on('connection', (s: Socket) => {
      void s.join('all');
      s.on('chat', (text: unknown) => s.to('all').emit('chat', text));
    });
    const clients: ClientSocket[] = [];
    for (let i = 0; i < 20; i++)
      clients.push(
        officialClient(l, '/', { transports: i % 2 === 0 ? ['websocket'] : ['polling'] }),
      );
    await within(10000, 'clients', Promise.all(clients.map((c) => nextEvent(c, 'connect'))));
    // Traffic: every client chats, the server broadcasts; close once it is in full flow.
    const flowing = new Promise<void>((resolve) => {
      let seen = 0;
      for (const c of clients) {
        c.on('chat', () => {
          if (++seen === 200) resolve();
        });
      }
    });
    for (let round = 0; round < 20; round++) for (const c of clients) c.emit('chat', `m${round}`);
    l.io.emit('server-news', 'x');
    await within(10000, 'traffic', flowing);
    expect((await timers.pending()).length).toBeGreaterThan(0); // the tracker sees the heartbeat timers
    const disconnected = clients.map((c) => nextEvent(c, 'disconnect'));
    await within(5000, 'io.close()', l.io.close());
    await within(5000, 'every client to see the close', Promise.all(disconnected));
    expectNothingLeaked(l.io);
    expect(l.io.engine.clientsCount).toBe(0);
    for (const c of clients) c.disconnect();
    // The server's heartbeat, connect-timeout and close timers are all gone.
    const left = await timers.pending();
    timers.stop();
    expect(left).toEqual([]);
  });
});

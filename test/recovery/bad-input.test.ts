// A forged or unknown pid, a garbage offset, or an adapter that fails or answers nonsense: the
// client gets a fresh session; nothing crashes, nothing is left unhandled, nothing is kept.
import { InMemoryAdapter, type AdapterConstructor } from '../../src/server';
import { SessionAwareAdapter } from '../../src/server/recovery/session-aware-adapter';
import {
  closeRunning,
  dropConnection,
  next,
  nextServerSocket,
  startWiregate,
  within,
  type Running,
} from './support';

afterEach(closeRunning);

async function connectWithAuth(server: Running, auth: Record<string, unknown>) {
  const connection = nextServerSocket(server);
  const client = server.connect('websocket', { auth });
  await next(client, 'connect');
  return { client, socket: await connection };
}

function storeOf(server: Running): SessionAwareAdapter {
  return (server.io as unknown as { sockets: { adapter: SessionAwareAdapter } }).sockets.adapter;
}

describe('recovery with bad input', () => {
  it('forged pids and garbage offsets get fresh sessions; the real session is still recovered afterwards', async () => {
    const server = await startWiregate({ connectionStateRecovery: {} });
    const { client, socket } = await connectWithAuth(server, {});
    server.io.to(socket.id).emit('offset', 1);
    const [, offset] = (await next(client, 'offset')) as [number, string];
    await dropConnection(client, socket);
    expect(storeOf(server).recoveryStats().sessions).toBe(1);
    const pid = (client as unknown as { _pid: string })._pid;
    const [tag] = offset.split('.');
    const attempts: Record<string, unknown>[] = [
      { pid: 'forged', offset },
      { pid, offset: 'garbage' },
      { pid, offset: `${tag}.zzzzzzzzzzz` }, // from the future
      { pid, offset: `${tag}.-1` },
      { pid, offset: `${tag}.` },
      { pid, offset: `other.${offset.split('.')[1]}` }, // another server's tag
      { pid: 42, offset: {} },
      { pid: ['x'], offset: null },
      { pid: 'x'.repeat(100_000), offset: 'y'.repeat(100_000) },
      { pid: '__proto__', offset },
      { pid: '', offset: '' },
    ];
    for (const auth of attempts) {
      const { client: other } = await connectWithAuth(server, auth);
      expect(other.recovered).toBe(false);
      expect(other.id).not.toBe(socket.id);
      other.close();
    }
    // None of them consumed the session.
    expect(storeOf(server).recoveryStats().sessions).toBe(1);
    const restored = nextServerSocket(server);
    client.connect();
    await next(client, 'connect');
    expect(client.recovered).toBe(true);
    expect((await restored).id).toBe(socket.id);
    expect(storeOf(server).recoveryStats().sessions).toBe(0);
  });

  it('a session is handed out once: a second client with the same pid and offset starts afresh', async () => {
    const server = await startWiregate({ connectionStateRecovery: {} });
    const { client, socket } = await connectWithAuth(server, {});
    server.io.to(socket.id).emit('offset', 1);
    const [, offset] = (await next(client, 'offset')) as [number, string];
    await dropConnection(client, socket);
    const pid = (client as unknown as { _pid: string })._pid;
    const first = await connectWithAuth(server, { pid, offset });
    const second = await connectWithAuth(server, { pid, offset });
    // Server side (the client-side flag needs the client's own pid, which these clients lack).
    expect([first.socket.recovered, second.socket.recovered]).toEqual([true, false]);
    expect(first.socket.id).toBe(socket.id);
    expect(second.socket.id).not.toBe(socket.id);
  });

  it.each<[string, (pid: string, offset: string) => unknown]>([
    [
      'throws',
      () => {
        throw new Error('restore failed');
      },
    ],
    ['rejects', () => Promise.reject(new Error('restore failed'))],
    ['resolves with nonsense', () => Promise.resolve({ sid: 5, rooms: 'r' })],
    [
      'returns missed packets that are not argument lists',
      () => ({
        sid: 'a',
        pid: 'b',
        rooms: [],
        data: {},
        missedPackets: ['x'],
      }),
    ],
  ])('an adapter whose restoreSession %s gives a fresh session', async (_title, restore) => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    class FailingAdapter extends InMemoryAdapter {
      override restoreSession(pid: string, offset: string): never {
        return restore(pid, offset) as never;
      }
    }
    try {
      const server = await startWiregate({
        connectionStateRecovery: {},
        adapter: FailingAdapter as unknown as AdapterConstructor,
      });
      const { client } = await connectWithAuth(server, { pid: 'p', offset: 'o' });
      expect(client.recovered).toBe(false);
      // The connection works: a round trip.
      const connection = nextServerSocket(server);
      const other = server.connect('websocket');
      await next(other, 'connect');
      await connection;
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('recovery through an adapter that answers asynchronously', () => {
  it('a client that left while the adapter answered keeps its session for the next attempt', async () => {
    const gate: { release: (() => void) | null; called: (() => void) | null } = {
      release: null,
      called: null,
    };
    const restoreCalled = new Promise<void>((resolve) => (gate.called = resolve));
    /** Holds the first restore until the test releases it. */
    class SlowAdapter extends SessionAwareAdapter {
      private held = false;
      override restoreSession(pid: string, offset: string): never {
        const answer = super.restoreSession(pid, offset);
        if (this.held) return answer as never;
        this.held = true;
        gate.called?.();
        return new Promise((resolve) => (gate.release = () => resolve(answer))) as never;
      }
    }
    const server = await startWiregate({
      connectionStateRecovery: {},
      adapter: SlowAdapter as unknown as AdapterConstructor,
    });
    const { client, socket } = await connectWithAuth(server, {});
    server.io.to(socket.id).emit('offset', 1);
    const [, offset] = (await next(client, 'offset')) as [number, string];
    await dropConnection(client, socket);
    const pid = (client as unknown as { _pid: string })._pid;
    // A second client presents the session, then goes before the adapter answers.
    const engine = (
      server.io as unknown as { engine: { once(ev: string, fn: (s: never) => void): void } }
    ).engine;
    const session = new Promise<{ once(ev: 'close', fn: () => void): void }>((resolve) =>
      engine.once('connection', resolve),
    );
    const impatient = server.connect('websocket', { auth: { pid, offset } });
    await within(restoreCalled, 'the restore');
    // Gone for the server too (its engine session closed), not only for the client.
    const closed = next(await session, 'close');
    impatient.io.engine.close();
    await closed;
    expect(storeOf(server).recoveryStats().sessions).toBe(0); // taken by the pending restore
    gate.release!();
    // Put back once the answer came and the client was found gone: awaited through the store.
    await within(
      new Promise<void>((resolve) => {
        const check = () =>
          storeOf(server).recoveryStats().sessions === 1 ? resolve() : setImmediate(check);
        check();
      }),
      'the session to be kept again',
    );
    const restored = nextServerSocket(server);
    client.connect();
    await next(client, 'connect');
    expect(client.recovered).toBe(true);
    expect((await restored).id).toBe(socket.id);
  });
});

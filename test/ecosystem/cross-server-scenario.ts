// One scenario across two servers joined by an adapter, observed only through official clients:
// run once on socket.io (the reference) and once on wiregate, and the observations compared.
// Servers A and B may be in this process or in cluster workers; every server-side operation goes
// through a client's `op` event (test/fixtures/ecosystem/scenario-server.ts).
import type { FetchedSocket, Op } from '../fixtures/ecosystem/scenario-server';
import { connect, ok, pollUntil, type TestClient } from './ecosystem-harness';

/** What the clients saw and what the operations returned, socket ids replaced by user names. */
export interface Observations {
  /** Each client's received events, in order. */
  logs: Record<string, unknown[][]>;
  /** Each operation's result, by step name. */
  results: Record<string, unknown>;
  /** carol's disconnect reason after `disconnectSockets`. */
  disconnectReason: string;
}

export interface ScenarioOptions {
  /** ms a broadcast with acks waits; the cluster adapters drop remote acks without one. */
  ackTimeout?: number;
  /** Connect timeout of each client (cluster workers on a loaded machine may be slow). */
  connectTimeout?: number;
  /**
   * Resolves once `servers` servers can receive broadcasts to `room`, for adapters that
   * subscribe per room asynchronously (the sharded Redis adapter's dynamic mode drops a
   * broadcast to a room a server has not subscribed to yet, on socket.io as on wiregate).
   */
  roomReady?: (room: string, servers: number) => Promise<void>;
}

/**
 * alice is on A, bob and carol on B; alice and bob join r1. Broadcasts go both ways (text,
 * binary, rooms, except, from a socket), then fetchSockets, RemoteSocket emit/join, socketsJoin/socketsLeave,
 * serverSideEmit (with and without ack), broadcasts with acks, and disconnectSockets.
 * After every broadcast a `marker` broadcast from the same server is awaited by every client:
 * the adapters keep one server's messages in order, so a client that should not have received
 * the broadcast has certainly had the chance to when the marker arrives.
 */
export async function runCrossServerScenario(
  urlA: string,
  urlB: string,
  options: ScenarioOptions = {},
): Promise<Observations> {
  const ackTimeout = options.ackTimeout ?? 5000;
  const alice = await connect(urlA, 'alice', options.connectTimeout);
  const bob = await connect(urlB, 'bob', options.connectTimeout);
  const carol = await connect(urlB, 'carol', options.connectTimeout);
  const clients = [alice, bob, carol];
  const names = new Map(clients.map((c) => [c.socket.id!, c.user]));
  const byId = (id: string) => names.get(id) ?? `unknown:${id}`;
  const fetched = (list: FetchedSocket[]) =>
    list
      .map((s) => ({ ...s, id: byId(s.id), rooms: s.rooms.map((r) => names.get(r) ?? r).sort() }))
      .sort((x, y) => x.id.localeCompare(y.id));
  const results: Record<string, unknown> = {};
  const run = async (step: string, client: TestClient, op: Op) =>
    (results[step] = ok(await client.op(op)));
  let markers = 0;
  /** A marker from `from`'s server, awaited by every client still connected. */
  const marker = async (from: TestClient, to = clients) => {
    const n = ++markers;
    await run(`marker${n}`, from, { op: 'emit', ev: 'marker', args: [n] });
    await Promise.all(to.map((c) => c.waitFor('marker', n)));
  };

  // Heartbeat-based adapters need to have met before requests expect an answer from the other.
  for (const client of [alice, bob])
    await pollUntil(
      `${client.user}'s server to count 2 servers`,
      async () => ok(await client.op({ op: 'serverCount' })) === 2,
      20_000,
    );

  await Promise.all([
    alice.socket.timeout(5000).emitWithAck('join', 'r1'),
    bob.socket.timeout(5000).emitWithAck('join', 'r1'),
  ]);
  await options.roomReady?.('r1', 2);

  await run('emitA', alice, { op: 'emit', ev: 'news', args: ['from-a', { n: 1 }] });
  await Promise.all(clients.map((c) => c.waitFor('news', 1)));
  await run('emitB', bob, {
    op: 'emit',
    ev: 'news',
    args: ['from-b', Buffer.from([1, 2, 3]), { nested: Buffer.from([4, 5]) }],
  });
  await Promise.all(clients.map((c) => c.waitFor('news', 2)));

  await run('roomA', alice, { op: 'emit', ev: 'room', rooms: ['r1'], args: ['r1-only'] });
  await marker(alice);
  await run('socketBroadcastB', bob, {
    op: 'socketBroadcast',
    ev: 'fromBob',
    rooms: ['r1'],
    args: ['hi r1'],
  });
  await marker(bob);
  await run('exceptA', alice, { op: 'emit', ev: 'outside', except: ['r1'], args: ['not r1'] });
  await marker(alice);

  results.fetchAll = fetched(ok(await alice.op({ op: 'fetchSockets' })));
  results.fetchR1 = fetched(ok(await carol.op({ op: 'fetchSockets', rooms: ['r1'] })));

  // carol's RemoteSocket on A: emit to her, and make her join r4.
  await run('remoteSocketA', alice, {
    op: 'remoteSocket',
    rooms: [carol.socket.id!],
    ev: 'direct',
    args: ['hi carol'],
    join: ['r4'],
  });
  await options.roomReady?.('r4', 1);
  await run('r4A', alice, { op: 'emit', ev: 'r4msg', rooms: ['r4'], args: [1] });
  await carol.waitFor('r4msg', 1);
  await marker(alice);

  // carol (on B) joins r2 and r3 by A's request; the broadcast after it is published after it.
  await run('socketsJoinA', alice, { op: 'socketsJoin', except: ['r1'], join: ['r2', 'r3'] });
  await options.roomReady?.('r2', 1);
  await run('r2A', alice, { op: 'emit', ev: 'r2msg', rooms: ['r2'], args: [1] });
  await carol.waitFor('r2msg', 1);
  await marker(alice);
  results.fetchR2 = fetched(ok(await alice.op({ op: 'fetchSockets', rooms: ['r2'] })));
  // From A, like the fetch after it: socket.io's socketsLeave returns before a cluster adapter
  // left locally (it publishes first), so only A's own later request is sure to come after it.
  await run('socketsLeaveA', alice, { op: 'socketsLeave', rooms: ['r2'], join: ['r2'] });
  results.fetchR2AfterLeave = fetched(ok(await alice.op({ op: 'fetchSockets', rooms: ['r2'] })));

  results.serverSideEmitWithAckA = ok(
    await alice.op({ op: 'serverSideEmitWithAck', ev: 'ping', args: ['p1'] }),
  );
  results.serverSideEmitWithAckB = ok(
    await bob.op({ op: 'serverSideEmitWithAck', ev: 'ping', args: [{ p: 2 }] }),
  );
  await run('serverSideEmitB', bob, { op: 'serverSideEmit', ev: 'note', args: ['n1'] });
  await alice.waitFor('noted', 1);
  await run('serverSideEmitA', alice, { op: 'serverSideEmit', ev: 'note', args: ['n2'] });
  await Promise.all([bob.waitFor('noted', 1), carol.waitFor('noted', 1)]);

  const sortedReplies = (reply: unknown) => [...(reply as string[])].sort();
  results.emitWithAckAll = sortedReplies(
    ok(await alice.op({ op: 'emitWithAck', args: ['q1'], timeout: ackTimeout })),
  );
  results.emitWithAckR1FromB = sortedReplies(
    ok(await carol.op({ op: 'emitWithAck', rooms: ['r1'], args: ['q2'], timeout: ackTimeout })),
  );
  await marker(alice);

  await run('disconnectR3A', alice, { op: 'disconnectSockets', rooms: ['r3'] });
  const disconnectReason = await carol.disconnected;
  results.fetchAfterDisconnect = fetched(ok(await alice.op({ op: 'fetchSockets' })));
  await marker(bob, [alice, bob]);

  return {
    logs: Object.fromEntries(clients.map((c) => [c.user, c.log])),
    results,
    disconnectReason,
  };
}

/** The absolute expectations of the scenario (besides equality with socket.io). */
export function expectScenario(seen: Observations): void {
  const auth = (user: string) => ({ user });
  const data = (server: string, user: string) => ({ server, user });
  expect(seen.logs.alice).toEqual([
    ['news', 'from-a', { n: 1 }],
    ['news', 'from-b', { bin: '010203' }, { nested: { bin: '0405' } }],
    ['room', 'r1-only'],
    ['marker', 1],
    ['fromBob', 'hi r1'],
    ['marker', 2],
    ['marker', 3],
    ['marker', 4],
    ['marker', 5],
    ['noted', { on: 'A', got: 'n1' }],
    ['question', 'q1', '[ack]'],
    ['question', 'q2', '[ack]'],
    ['marker', 6],
    ['marker', 7],
  ]);
  expect(seen.logs.bob).toEqual([
    ['news', 'from-a', { n: 1 }],
    ['news', 'from-b', { bin: '010203' }, { nested: { bin: '0405' } }],
    ['room', 'r1-only'],
    ['marker', 1],
    ['marker', 2],
    ['marker', 3],
    ['marker', 4],
    ['marker', 5],
    ['noted', { on: 'B', got: 'n2' }],
    ['question', 'q1', '[ack]'],
    ['question', 'q2', '[ack]'],
    ['marker', 6],
    ['marker', 7],
  ]);
  expect(seen.logs.carol).toEqual([
    ['news', 'from-a', { n: 1 }],
    ['news', 'from-b', { bin: '010203' }, { nested: { bin: '0405' } }],
    ['marker', 1],
    ['marker', 2],
    ['outside', 'not r1'],
    ['marker', 3],
    ['direct', 'hi carol'],
    ['r4msg', 1],
    ['marker', 4],
    ['r2msg', 1],
    ['marker', 5],
    ['noted', { on: 'B', got: 'n2' }],
    ['question', 'q1', '[ack]'],
    ['marker', 6],
  ]);
  expect(seen.results.fetchAll).toEqual([
    { id: 'alice', rooms: ['alice', 'r1'], data: data('A', 'alice'), auth: auth('alice') },
    { id: 'bob', rooms: ['bob', 'r1'], data: data('B', 'bob'), auth: auth('bob') },
    { id: 'carol', rooms: ['carol'], data: data('B', 'carol'), auth: auth('carol') },
  ]);
  expect((seen.results.fetchR1 as { id: string }[]).map((s) => s.id)).toEqual(['alice', 'bob']);
  expect(seen.results.fetchR2).toEqual([
    {
      id: 'carol',
      rooms: ['carol', 'r2', 'r3', 'r4'],
      data: data('B', 'carol'),
      auth: auth('carol'),
    },
  ]);
  expect(seen.results.fetchR2AfterLeave).toEqual([]);
  expect(seen.results.serverSideEmitWithAckA).toEqual([{ from: 'B', got: 'p1' }]);
  expect(seen.results.serverSideEmitWithAckB).toEqual([{ from: 'A', got: { p: 2 } }]);
  expect(seen.results.emitWithAckAll).toEqual(['alice:q1', 'bob:q1', 'carol:q1']);
  expect(seen.results.emitWithAckR1FromB).toEqual(['alice:q2', 'bob:q2']);
  expect(seen.disconnectReason).toBe('io server disconnect');
  expect((seen.results.fetchAfterDisconnect as { id: string }[]).map((s) => s.id)).toEqual([
    'alice',
    'bob',
  ]);
}

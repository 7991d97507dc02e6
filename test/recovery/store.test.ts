// The in-memory session store on its own, with a clock the test moves: expiry, caps, offsets.
import { RECOVERY_DEFAULTS, normalizeRecoveryOptions } from '../../src/server/recovery/options';
import { SessionStore } from '../../src/server/recovery/session-store';

function storeAt(clock: { now: number }, opts = {}): SessionStore {
  return new SessionStore({ ...RECOVERY_DEFAULTS, ...opts }, () => clock.now);
}

const session = (pid: string, rooms = [pid + '-sid', 'room']) => ({
  sid: pid + '-sid',
  pid,
  rooms,
  data: { pid },
});

describe('SessionStore', () => {
  let store: SessionStore | null = null;
  afterEach(() => store?.close());

  it('replays what was sent after the offset to the session rooms, minus exceptions, once', () => {
    const clock = { now: 0 };
    store = storeAt(clock);
    const offset = store.append(['a'], new Set(), undefined);
    store.persist(session('p'));
    store.append(['to-room'], new Set(['room']), undefined);
    store.append(['elsewhere'], new Set(['other']), undefined);
    store.append(['excluded'], new Set(), new Set(['room']));
    store.append(['to-sid'], new Set(['p-sid']), undefined);
    const restored = store.restore('p', offset);
    expect(restored?.missedPackets.map((p) => p[0])).toEqual(['to-room', 'to-sid']);
    expect(restored).toMatchObject({ sid: 'p-sid', pid: 'p', data: { pid: 'p' } });
    expect(store.restore('p', offset)).toBeNull();
  });

  it('forgets sessions and packets older than maxDisconnectionDuration', () => {
    const clock = { now: 1_000 };
    store = storeAt(clock, { maxDisconnectionDuration: 100 });
    const offset = store.append(['a'], new Set(), undefined);
    store.persist(session('old'));
    clock.now += 101;
    store.persist(session('new'));
    expect(store.stats()).toEqual({ sessions: 1, packets: 0 });
    expect(store.restore('old', offset)).toBeNull();
    // 'new' disconnected in time, but packets after `offset` may have been dropped: the offset
    // is still the last one handed out, so nothing is missing and it recovers.
    expect(store.restore('new', offset)?.missedPackets).toEqual([]);
  });

  it('a session whose missed packets were dropped by the cap starts afresh, never partially', () => {
    const clock = { now: 0 };
    store = storeAt(clock, { maxPackets: 3 });
    const offset = store.append(['first'], new Set(), undefined);
    store.persist(session('p'));
    for (let i = 0; i < 3; i++) store.append(['later', i], new Set(), undefined);
    expect(store.stats().packets).toBe(3);
    // 'first' was dropped, but nothing after it was: recovered with all three.
    expect(store.restore('p', offset)?.missedPackets).toHaveLength(3);
    store.persist(session('q'));
    const qOffset = store.append(['q-offset'], new Set(), undefined);
    for (let i = 0; i < 3; i++) store.append(['flood', i], new Set(), undefined);
    // qOffset's own packet was dropped, the three after it are held: recovered with all three.
    expect(store.restore('q', qOffset)?.missedPackets).toHaveLength(3);
    store.persist(session('r'));
    const rOffset = store.append(['r-offset'], new Set(), undefined);
    for (let i = 0; i < 4; i++) store.append(['flood', i], new Set(), undefined);
    // The first packet after rOffset was dropped: a fresh session.
    expect(store.restore('r', rOffset)).toBeNull();
  });

  it('keeps at most maxSessions sessions, dropping the longest disconnected', () => {
    store = storeAt({ now: 0 }, { maxSessions: 2 });
    const offset = store.append(['a'], new Set(), undefined);
    for (const pid of ['a', 'b', 'c']) store.persist(session(pid));
    expect(store.stats().sessions).toBe(2);
    expect(store.restore('a', offset)).toBeNull();
    expect(store.restore('c', offset)).not.toBeNull();
  });

  it('holds a long stream in bounded space (dropped slots are compacted)', () => {
    store = storeAt({ now: 0 }, { maxPackets: 10 });
    for (let i = 0; i < 50_000; i++) store.append([i], new Set(), undefined);
    expect(store.stats().packets).toBe(10);
    const held = (store as unknown as { packets: unknown[] }).packets.length;
    expect(held).toBeLessThanOrEqual(2 * 1024 + 10);
  });

  it('normalizeRecoveryOptions fills socket.io defaults, keeping given values', () => {
    expect(normalizeRecoveryOptions({})).toEqual({
      maxDisconnectionDuration: 120_000,
      skipMiddlewares: true,
      maxSessions: 10_000,
      maxPackets: 10_000,
    });
    expect(
      normalizeRecoveryOptions({ skipMiddlewares: false, maxDisconnectionDuration: undefined }),
    ).toMatchObject({ skipMiddlewares: false, maxDisconnectionDuration: 120_000 });
    expect(normalizeRecoveryOptions({ maxDisconnectionDuration: Infinity })).toMatchObject({
      maxDisconnectionDuration: Infinity,
    });
  });

  it.each([
    { maxPackets: NaN },
    { maxSessions: -1 },
    { maxDisconnectionDuration: '60000' as unknown as number },
  ])('refuses %p: a bad cap would leave the store unbounded', (given) => {
    expect(() => normalizeRecoveryOptions(given)).toThrow(/connectionStateRecovery\.\w+ must be/);
  });
});

// Unit tests of the default adapter through its public methods, with fake sockets: the room
// index, its events, and each selection operation (union, except, no duplicates).
import type {
  AdapterNamespace,
  AdapterSocket,
  BroadcastFlags,
  EncodedPacket,
} from '../../src/server';
import { InMemoryAdapter } from '../../src/server';

class FakeSocket implements AdapterSocket {
  connected = true;
  readonly written: EncodedPacket[] = [];
  readonly acks = new Map<number, (...args: unknown[]) => void>();
  disconnectedWith: boolean | null = null;

  constructor(
    readonly id: string,
    private readonly adapter: () => InMemoryAdapter,
  ) {}

  writeEncoded(encoded: EncodedPacket, _flags: BroadcastFlags | undefined): void {
    this.written.push(encoded);
  }
  registerAck(id: number, ack: (...args: unknown[]) => void): void {
    this.acks.set(id, ack);
  }
  toDetails() {
    return {
      id: this.id,
      handshake: {} as never,
      rooms: [...(this.adapter().socketRooms(this.id) ?? [])],
      data: {},
    };
  }
  join(rooms: string | string[]) {
    return this.adapter().addAll(this.id, Array.isArray(rooms) ? rooms : [rooms]);
  }
  leave(room: string) {
    return this.adapter().del(this.id, room);
  }
  disconnect(close = false) {
    this.disconnectedWith = close;
    this.adapter().delAll(this.id);
  }
}

function setup() {
  const sockets = new Map<string, FakeSocket>();
  const nsp: AdapterNamespace = { name: '/', sockets, receiveServerSideEmit: () => undefined };
  const adapter = new InMemoryAdapter(nsp);
  for (const id of ['a', 'b', 'c', 'd']) {
    sockets.set(id, new FakeSocket(id, () => adapter));
    adapter.addAll(id, [id]);
  }
  adapter.addAll('a', ['r1']);
  adapter.addAll('b', ['r1', 'r2']);
  adapter.addAll('c', ['r2', 'r3']);
  return { adapter, sockets };
}

const ids = (found: Iterable<{ id: string }>) => [...found].map((s) => s.id).sort();
const receivers = (sockets: Map<string, FakeSocket>) =>
  [...sockets.values()]
    .filter((s) => s.written.length > 0)
    .map((s) => `${s.id}:${s.written.length}`);

describe('InMemoryAdapter room index', () => {
  it('keeps rooms and sids in step; rooms vanish when empty; events in order', () => {
    const { adapter } = setup();
    const events: string[] = [];
    for (const ev of ['create-room', 'join-room', 'leave-room', 'delete-room']) {
      adapter.on(ev, (...args: unknown[]) => events.push([ev, ...args].join(' ')));
    }
    adapter.addAll('d', ['x', 'x', 'r1']);
    expect(adapter.rooms.get('x')).toEqual(new Set(['d']));
    expect(adapter.sids.get('d')).toEqual(new Set(['d', 'x', 'r1']));
    adapter.del('d', 'x');
    adapter.delAll('d');
    expect(adapter.sids.has('d')).toBe(false);
    expect(adapter.rooms.has('x')).toBe(false);
    expect(adapter.rooms.get('r1')).toEqual(new Set(['a', 'b']));
    expect(events).toEqual([
      'create-room x',
      'join-room x d',
      'join-room r1 d',
      'leave-room x d',
      'delete-room x',
      'leave-room d d',
      'delete-room d',
      'leave-room r1 d',
    ]);
  });

  it('del of a room the socket is not in changes nothing and emits nothing', () => {
    const { adapter } = setup();
    const events = jest.fn();
    adapter.on('leave-room', events);
    adapter.del('a', 'r3');
    adapter.delAll('nobody');
    expect(events).not.toHaveBeenCalled();
    expect(adapter.rooms.get('r3')).toEqual(new Set(['c']));
  });
});

describe('InMemoryAdapter selections', () => {
  const packet = { type: 2 as const, nsp: '/', data: ['ev', 1] };

  it('broadcast: all sockets when no room; each recipient once across several rooms; except', () => {
    let s = setup();
    s.adapter.broadcast(packet, { rooms: new Set() });
    expect(receivers(s.sockets)).toEqual(['a:1', 'b:1', 'c:1', 'd:1']);
    s = setup();
    s.adapter.broadcast(packet, { rooms: new Set(['r1', 'r2']) });
    expect(receivers(s.sockets)).toEqual(['a:1', 'b:1', 'c:1']);
    s = setup();
    s.adapter.broadcast(packet, { rooms: new Set(['r2']), except: new Set(['r1']) });
    expect(receivers(s.sockets)).toEqual(['c:1']);
    s = setup();
    s.adapter.broadcast(packet, { rooms: new Set(), except: new Set(['r2', 'd']) });
    expect(receivers(s.sockets)).toEqual(['a:1']);
    s = setup();
    s.adapter.broadcast(packet, { rooms: new Set(['no-such-room']) });
    expect(receivers(s.sockets)).toEqual([]);
  });

  it('broadcast encodes once: every recipient gets the same encoded packet', () => {
    const { adapter, sockets } = setup();
    adapter.broadcast(
      { type: 2, nsp: '/', data: ['bin', Buffer.from([1])] },
      { rooms: new Set(['r1']) },
    );
    const [a, b] = [sockets.get('a')!, sockets.get('b')!];
    expect(a.written[0]).toBe(b.written[0]);
    expect(a.written[0][0]).toBe('51-["bin",{"_placeholder":true,"num":0}]');
  });

  it('broadcastWithAck reports the recipient count and registers the ack on each recipient', () => {
    const { adapter, sockets } = setup();
    const counts: number[] = [];
    const replies: unknown[] = [];
    adapter.broadcastWithAck(
      { type: 2, nsp: '/', id: 7, data: ['q'] },
      { rooms: new Set(['r2']) },
      (n) => counts.push(n),
      (r) => replies.push(r),
    );
    expect(counts).toEqual([2]);
    expect(sockets.get('b')!.written[0][0]).toBe('27["q"]');
    sockets.get('b')!.acks.get(7)!('from b');
    sockets.get('c')!.acks.get(7)!('from c');
    expect(replies).toEqual(['from b', 'from c']);
    expect(sockets.get('a')!.acks.size).toBe(0);
  });

  it('sockets, fetchSockets, addSockets, delSockets, disconnectSockets act on the selection', async () => {
    const { adapter, sockets } = setup();
    expect([...(await adapter.sockets(new Set(['r1', 'r3'])))].sort()).toEqual(['a', 'b', 'c']);
    expect(
      ids(await adapter.fetchSockets({ rooms: new Set(['r2']), except: new Set(['r3']) })),
    ).toEqual(['b']);
    await adapter.addSockets({ rooms: new Set(['r1']) }, ['joined', 'also']);
    expect(adapter.rooms.get('joined')).toEqual(new Set(['a', 'b']));
    expect(adapter.rooms.get('also')).toEqual(new Set(['a', 'b']));
    // Leaving the very room that selects: the iteration must not skip anyone.
    await adapter.delSockets({ rooms: new Set(['joined']) }, ['joined']);
    expect(adapter.rooms.has('joined')).toBe(false);
    await adapter.disconnectSockets({ rooms: new Set(['r3']) }, true);
    expect(sockets.get('c')!.disconnectedWith).toBe(true);
    expect(sockets.get('b')!.disconnectedWith).toBeNull();
  });

  it('one server: serverCount is 1 and serverSideEmit acks with (null, [])', async () => {
    const { adapter } = setup();
    await expect(adapter.serverCount()).resolves.toBe(1);
    const args = await new Promise<unknown[]>((resolve) =>
      adapter.serverSideEmit(['ev', 1, (...a: unknown[]) => resolve(a)]),
    );
    expect(args).toEqual([null, []]);
  });
});

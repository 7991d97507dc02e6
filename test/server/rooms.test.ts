// docs/internals/server-semantics.md, "Rooms": rooms, the default room, multi-room membership, private messages,
// adapter events.
import { closeAll, connectSocket, startServer, waitFor } from '../support/harness';

afterEach(closeAll);

describe('rooms', () => {
  it('every socket starts in the room named by its id', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    expect(socket.rooms).toEqual(new Set([socket.id]));
    expect(socket.id).toBe(client.id);
    expect(h.io.of('/').adapter.rooms.get(socket.id)).toEqual(new Set([socket.id]));
  });

  it('join one room or several; leave; rooms reflects them; a socket is in many rooms and a room holds many', async () => {
    const h = await startServer();
    const [, a] = await connectSocket(h);
    const [, b] = await connectSocket(h);
    a.join('r1');
    a.join(['r2', 'r3']);
    b.join(['r1', 'r2']);
    expect(a.rooms).toEqual(new Set([a.id, 'r1', 'r2', 'r3']));
    const adapter = h.io.of('/').adapter;
    expect(adapter.rooms.get('r1')).toEqual(new Set([a.id, b.id]));
    expect(adapter.sids.get(a.id)).toEqual(new Set([a.id, 'r1', 'r2', 'r3']));
    a.leave('r2');
    expect(a.rooms).toEqual(new Set([a.id, 'r1', 'r3']));
    expect(adapter.rooms.get('r2')).toEqual(new Set([b.id]));
    a.leave('r3');
    expect(adapter.rooms.has('r3')).toBe(false); // rooms vanish when empty
    a.leave('not-a-member'); // harmless
  });

  it('leaving happens automatically on disconnect', async () => {
    const h = await startServer();
    const [client, socket] = await connectSocket(h);
    socket.join(['x', 'y']);
    const gone = waitFor(socket, 'disconnect');
    client.disconnect();
    await gone;
    const adapter = h.io.of('/').adapter;
    expect(adapter.rooms.size).toBe(0);
    expect(adapter.sids.size).toBe(0);
    expect(socket.rooms).toEqual(new Set());
  });

  it('private messages: io.to(socketId) reaches exactly that socket', async () => {
    const h = await startServer();
    const [a] = await connectSocket(h);
    const [b, sb] = await connectSocket(h);
    const aGot = jest.fn();
    a.on('dm', aGot);
    const got = waitFor(b, 'dm');
    h.io.to(sb.id).emit('dm', 'for b');
    expect(await got).toBe('for b');
    // A message to a after the dm proves the dm never reached it (delivery is in order).
    const after = waitFor(a, 'after');
    h.io.to(a.id!).emit('after');
    await after;
    expect(aGot).not.toHaveBeenCalled();
  });

  it('a socket can message another by id: socket.to(otherId)', async () => {
    const h = await startServer();
    const [, sa] = await connectSocket(h);
    const [b, sb] = await connectSocket(h);
    const got = waitFor(b, 'dm');
    sa.to(sb.id).emit('dm', 'from a');
    expect(await got).toBe('from a');
  });

  it('rooms are per namespace', async () => {
    const h = await startServer();
    const [, main] = await connectSocket(h);
    h.io.of('/other');
    const [other] = await connectSocket(h, '/other');
    main.join('shared-name');
    h.io.of('/other').sockets.get(other.id!)!.join('shared-name');
    expect(h.io.of('/').adapter.rooms.get('shared-name')).toEqual(new Set([main.id]));
    expect(h.io.of('/other').adapter.rooms.get('shared-name')).toEqual(new Set([other.id]));
  });
});

describe('adapter events', () => {
  it('create-room, join-room, leave-room, delete-room', async () => {
    const h = await startServer();
    const events: unknown[] = [];
    const adapter = h.io.of('/').adapter;
    adapter.on('create-room', (room: string) => events.push(['create', room]));
    adapter.on('join-room', (room: string, id: string) => events.push(['join', room, id]));
    adapter.on('leave-room', (room: string, id: string) => events.push(['leave', room, id]));
    adapter.on('delete-room', (room: string) => events.push(['delete', room]));
    const [client, socket] = await connectSocket(h);
    const id = socket.id;
    expect(events).toEqual([
      ['create', id],
      ['join', id, id],
    ]);
    events.length = 0;
    socket.join('r');
    socket.join('r'); // already in: no event
    socket.leave('r');
    expect(events).toEqual([
      ['create', 'r'],
      ['join', 'r', id],
      ['leave', 'r', id],
      ['delete', 'r'],
    ]);
    events.length = 0;
    const gone = waitFor(socket, 'disconnect');
    client.disconnect();
    await gone;
    expect(events).toEqual([
      ['leave', id, id],
      ['delete', id],
    ]);
  });
});

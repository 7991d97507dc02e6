/**
 * The default adapter: the room index of one namespace on one server. Cluster adapters
 * extend it and add the cross-server half of each operation.
 * @module
 */
import { EventEmitter } from 'node:events';
import { encodePacket, type Packet } from '../../protocol';
import type {
  AdapterNamespace,
  AdapterSocket,
  BroadcastOptions,
  EncodedPacket,
  Room,
  SocketDetails,
  SocketId,
} from './adapter';
import type { PersistedSession, RestoredSession } from '../recovery/session';

/**
 * Keeps `rooms` (room → socket ids) and `sids` (socket id → rooms) for one namespace,
 * and runs every selection operation on this server's sockets.
 *
 * Events: `create-room(room)`, `delete-room(room)`, `join-room(room, id)`, `leave-room(room, id)`.
 *
 * @example
 * io.of('/').adapter.on('join-room', (room, id) => console.log(`${id} joined ${room}`));
 */
export class InMemoryAdapter extends EventEmitter {
  /** Room → ids of the sockets in it (this server only). */
  readonly rooms = new Map<Room, Set<SocketId>>();
  /** Socket id → its rooms (this server only). */
  readonly sids = new Map<SocketId, Set<Room>>();

  /**
   * The server's encoder when it has a custom `parser` (read once); null for the default codec,
   * which the broadcasts below call directly.
   */
  private readonly customEncode: ((packet: Packet) => EncodedPacket) | null;

  constructor(readonly nsp: AdapterNamespace) {
    super();
    this.customEncode = customEncoderOf(nsp);
  }

  /** Called once when the namespace is created. */
  init(): Promise<void> | void {}

  /** Called when the server closes. */
  close(): Promise<void> | void {}

  /** Number of servers in the cluster (1 without one). */
  serverCount(): Promise<number> {
    return Promise.resolve(1);
  }

  /** Adds a socket to rooms. */
  addAll(id: SocketId, rooms: Iterable<Room>): Promise<void> | void {
    let own = this.sids.get(id);
    if (!own) this.sids.set(id, (own = new Set()));
    for (const room of rooms) {
      own.add(room);
      let members = this.rooms.get(room);
      if (!members) {
        this.rooms.set(room, (members = new Set()));
        if (this.listenerCount('create-room') > 0) this.emit('create-room', room);
      }
      if (!members.has(id)) {
        members.add(id);
        if (this.listenerCount('join-room') > 0) this.emit('join-room', room, id);
      }
    }
  }

  /** Removes a socket from one room. */
  del(id: SocketId, room: Room): Promise<void> | void {
    this.sids.get(id)?.delete(room);
    this.removeFromRoom(room, id);
  }

  /** Removes a socket from every room. */
  delAll(id: SocketId): void {
    const own = this.sids.get(id);
    if (!own) return;
    for (const room of own) this.removeFromRoom(room, id);
    this.sids.delete(id);
  }

  /** Rooms of a local socket. */
  socketRooms(id: SocketId): Set<Room> | undefined {
    return this.sids.get(id);
  }

  /** Sends a packet to every selected socket; encoded once for all of them. */
  broadcast(packet: Packet, opts: BroadcastOptions): void {
    const encoded = this.customEncode === null ? encodePacket(packet) : this.customEncode(packet);
    const flags = opts.flags;
    this.forEachSelected(opts, (socket) => socket.writeEncoded(encoded, flags, packet));
  }

  /**
   * Sends a packet that asks each recipient for an ack: `clientCountCallback` gets the
   * number of recipients (once per server in a cluster), `ack` each reply.
   */
  broadcastWithAck(
    packet: Packet,
    opts: BroadcastOptions,
    clientCountCallback: (count: number) => void,
    ack: (...args: unknown[]) => void,
  ): void {
    const encoded: EncodedPacket =
      this.customEncode === null ? encodePacket(packet) : this.customEncode(packet);
    const flags = opts.flags;
    const id = packet.id!;
    let count = 0;
    this.forEachSelected(opts, (socket) => {
      count++;
      socket.registerAck(id, ack);
      socket.writeEncoded(encoded, flags, packet);
    });
    clientCountCallback(count);
  }

  /** Ids of the sockets in the given rooms (all sockets when empty). */
  sockets(rooms: Set<Room>): Promise<Set<SocketId>> {
    const ids = new Set<SocketId>();
    this.forEachSelected({ rooms }, (socket) => ids.add(socket.id));
    return Promise.resolve(ids);
  }

  /** The selected sockets: local ones as they are, remote ones (cluster) as details. */
  fetchSockets(opts: BroadcastOptions): Promise<(AdapterSocket | SocketDetails)[]> {
    const found: AdapterSocket[] = [];
    this.forEachSelected(opts, (socket) => found.push(socket));
    return Promise.resolve(found);
  }

  /** Makes the selected sockets join rooms. */
  addSockets(opts: BroadcastOptions, rooms: Room[]): Promise<void> {
    const joins: unknown[] = [];
    this.forEachSelected(opts, (socket) => joins.push(socket.join(rooms)));
    return settleAll(joins);
  }

  /** Makes the selected sockets leave rooms. */
  delSockets(opts: BroadcastOptions, rooms: Room[]): Promise<void> {
    const leaves: unknown[] = [];
    this.forEachSelected(opts, (socket) => {
      for (const room of rooms) leaves.push(socket.leave(room));
    });
    return settleAll(leaves);
  }

  /** Disconnects the selected sockets. */
  disconnectSockets(opts: BroadcastOptions, close: boolean): Promise<void> {
    const selected: AdapterSocket[] = [];
    this.forEachSelected(opts, (socket) => selected.push(socket));
    for (const socket of selected) socket.disconnect(close);
    return Promise.resolve();
  }

  /**
   * Connection state recovery (socket.io-adapter's contract): keeps the session of a socket
   * lost abnormally. This adapter keeps none; `SessionAwareAdapter`, the default when
   * `connectionStateRecovery` is set, does.
   */
  persistSession(_session: PersistedSession): Promise<void> | void {}

  /**
   * Connection state recovery: the session of `pid` with the packets missed after `offset`,
   * or null (the client gets a fresh session). This adapter keeps none.
   */
  restoreSession(
    _pid: string,
    _offset: string,
  ): Promise<RestoredSession | null> | RestoredSession | null {
    return null;
  }

  /**
   * Sends an event to the other servers of the cluster. Without a cluster there is
   * nobody to tell; the optional trailing ack gets `(null, [])`.
   */
  serverSideEmit(packet: unknown[]): void {
    const last = packet[packet.length - 1];
    if (typeof last === 'function') process.nextTick(() => last(null, []));
  }

  /**
   * Calls `fn` once for each selected local socket, never twice for the same socket
   * even when it is in several of the rooms.
   */
  protected forEachSelected(opts: BroadcastOptions, fn: (socket: AdapterSocket) => void): void {
    const sockets = this.nsp.sockets;
    const except = this.computeExceptSids(opts.except);
    const rooms = opts.rooms;
    if (rooms.size === 0) {
      for (const [id, socket] of sockets) {
        if (except !== null && except.has(id)) continue;
        fn(socket);
      }
      return;
    }
    if (rooms.size === 1) {
      const members = this.rooms.get(rooms.values().next().value as Room);
      if (!members) return;
      for (const id of [...members]) {
        if (except !== null && except.has(id)) continue;
        const socket = sockets.get(id);
        if (socket) fn(socket);
      }
      return;
    }
    const seen = new Set<SocketId>();
    for (const room of rooms) {
      const members = this.rooms.get(room);
      if (!members) continue;
      for (const id of members) {
        if (seen.has(id) || (except !== null && except.has(id))) continue;
        seen.add(id);
      }
    }
    for (const id of seen) {
      const socket = sockets.get(id);
      if (socket) fn(socket);
    }
  }

  private computeExceptSids(except: Set<Room> | undefined): Set<SocketId> | null {
    if (!except || except.size === 0) return null;
    const ids = new Set<SocketId>();
    for (const room of except) {
      const members = this.rooms.get(room);
      if (members) for (const id of members) ids.add(id);
    }
    return ids;
  }

  private removeFromRoom(room: Room, id: SocketId): void {
    const members = this.rooms.get(room);
    if (!members || !members.delete(id)) return;
    if (this.listenerCount('leave-room') > 0) this.emit('leave-room', room, id);
    if (members.size === 0 && this.rooms.delete(room) && this.listenerCount('delete-room') > 0) {
      this.emit('delete-room', room);
    }
  }
}

/** A namespace of a Server with a custom parser carries its encoder (server.ts `customEncode`). */
function customEncoderOf(nsp: AdapterNamespace): ((packet: Packet) => EncodedPacket) | null {
  const server = (
    nsp as { server?: { customEncode?: ((packet: Packet) => (string | Buffer)[]) | null } }
  ).server;
  return (server?.customEncode as ((packet: Packet) => EncodedPacket) | null | undefined) ?? null;
}

async function settleAll(results: unknown[]): Promise<void> {
  const pending = results.filter(
    (r): r is Promise<unknown> => typeof (r as Promise<unknown> | undefined)?.then === 'function',
  );
  if (pending.length > 0) await Promise.all(pending);
}

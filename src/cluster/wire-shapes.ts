/**
 * The pieces every cluster message is made of — a selection of sockets, a packet, a socket's
 * details — as socket.io writes them, and their checked reading: whatever arrives on a channel
 * is untrusted, so each reader returns `null` instead of throwing on a wrong shape.
 * @module
 */
import { PacketType, type Packet } from '../protocol';
import type {
  AdapterSocket,
  BroadcastFlags,
  BroadcastOptions,
  HandshakeDetails,
  Room,
  SocketDetails,
} from '../server';

/** A selection as it travels: arrays instead of sets, never the `local` flag. */
export interface WireOptions {
  rooms: Room[];
  except: Room[];
  flags?: Omit<BroadcastFlags, 'local'>;
}

/** A packet as it travels (socket.io-parser's packet object). */
export interface WirePacket {
  type: number;
  data: unknown[];
  nsp?: string;
}

/** The selection as it travels; `withFlags: false` for requests, which socket.io sends without them. */
export function toWireOptions(opts: BroadcastOptions, withFlags = true): WireOptions {
  const wire: WireOptions = { rooms: [...opts.rooms], except: opts.except ? [...opts.except] : [] };
  if (!withFlags) return wire;
  const flags = opts.flags ?? {};
  const wireFlags: WireOptions['flags'] = {};
  if (flags.volatile) wireFlags.volatile = true;
  if (flags.compress !== undefined) wireFlags.compress = flags.compress;
  if (flags.timeout !== undefined) wireFlags.timeout = flags.timeout;
  wire.flags = wireFlags;
  return wire;
}

/** A received selection, or `null` when it is not one. Never local: it came from another server. */
export function readOptions(value: unknown): BroadcastOptions | null {
  if (!isObject(value)) return null;
  const rooms = readRooms(value.rooms);
  const except = value.except === undefined ? [] : readRooms(value.except);
  if (rooms === null || except === null) return null;
  const flags: BroadcastFlags = {};
  if (isObject(value.flags)) {
    if (value.flags.volatile === true) flags.volatile = true;
    if (typeof value.flags.compress === 'boolean') flags.compress = value.flags.compress;
    if (typeof value.flags.timeout === 'number') flags.timeout = value.flags.timeout;
  }
  return { rooms: new Set(rooms), except: new Set(except), flags };
}

/** Room names: socket.io lets rooms be numbers, which we name by their decimal string. */
export function readRooms(value: unknown): Room[] | null {
  if (!Array.isArray(value)) return null;
  const rooms: Room[] = [];
  for (const room of value) {
    if (typeof room === 'string') rooms.push(room);
    else if (typeof room === 'number') rooms.push(String(room));
    else return null;
  }
  return rooms;
}

/**
 * The packet of a broadcast as it travels. Never its ack id: socket.io publishes a broadcast with
 * acks before numbering it, and every receiver numbers it with its own counter anyway. With its
 * namespace for the classic Redis protocol (its adapter sets it), without for socket.io-adapter's
 * cluster messages (the namespace is the message's).
 */
export function toWirePacket(packet: Packet, withNsp = true): WirePacket {
  const wire: WirePacket = { type: packet.type, data: packet.data as unknown[] };
  if (withNsp) wire.nsp = packet.nsp;
  return wire;
}

/**
 * A received event packet for namespace `nsp`, or `null` when it is not one. `id`: the ack id this
 * server gives it (a broadcast with acks); the sender's own counter would clash with ours.
 */
export function readPacket(value: unknown, nsp: string, id?: number): Packet | null {
  if (!isObject(value) || !Array.isArray(value.data) || typeof value.data[0] !== 'string')
    return null;
  if (value.type !== PacketType.EVENT && value.type !== PacketType.BINARY_EVENT) return null;
  const packet: Packet = { type: PacketType.EVENT, nsp, data: value.data };
  if (id !== undefined) packet.id = id;
  return packet;
}

/** What `fetchSockets` sends for one socket: plain details (socket.io drops `sessionStore`). */
export function toWireDetails(socket: AdapterSocket | SocketDetails): SocketDetails {
  const details = isAdapterSocket(socket) ? socket.toDetails() : socket;
  const { sessionStore: _dropped, ...handshake } = details.handshake as HandshakeDetails & {
    sessionStore?: unknown;
  };
  return { id: details.id, handshake, rooms: [...details.rooms], data: details.data };
}

/** Received socket details, or `null` when they are not. */
export function readDetails(value: unknown): SocketDetails | null {
  if (!isObject(value) || typeof value.id !== 'string') return null;
  const rooms = readRooms(value.rooms);
  if (rooms === null) return null;
  const handshake = (isObject(value.handshake)
    ? value.handshake
    : {}) as unknown as HandshakeDetails;
  return { id: value.id, handshake, rooms, data: value.data };
}

/** A plain object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAdapterSocket(s: AdapterSocket | SocketDetails): s is AdapterSocket {
  return typeof (s as AdapterSocket).toDetails === 'function';
}

/**
 * The adapter contract: how a namespace finds and reaches sockets, here or on other
 * servers. Selections travel as plain data so a cluster adapter can ship them.
 * @module
 */
import type { Packet } from '../../protocol';

/** A room name. */
export type Room = string;
/** A Socket.IO socket id. */
export type SocketId = string;

/** Flags of one broadcast. */
export interface BroadcastFlags {
  /** May be dropped for clients that are not ready to receive. */
  volatile?: boolean;
  /** Per-message compression hint. */
  compress?: boolean;
  /** This server only, in a cluster. */
  local?: boolean;
  /** ms to wait for acks of a broadcast with acknowledgement. */
  timeout?: number;
}

/** A selection of sockets: the union of `rooms` (all sockets when empty) minus `except`. */
export interface BroadcastOptions {
  rooms: Set<Room>;
  except?: Set<Room>;
  flags?: BroadcastFlags;
}

/** The plain, serialisable view of a socket that `fetchSockets` returns from any server. */
export interface SocketDetails<SocketData = unknown> {
  id: SocketId;
  handshake: HandshakeDetails;
  rooms: Room[];
  data: SocketData;
}

/** Plain handshake fields (see `Handshake`). */
export interface HandshakeDetails {
  headers: Record<string, string | string[] | undefined>;
  time: string;
  address: string;
  xdomain: boolean;
  secure: boolean;
  issued: number;
  url: string;
  query: Record<string, string>;
  auth: Record<string, unknown>;
}

/** An encoded packet: the text part then its binary attachments. Encoded once per broadcast. */
export type EncodedPacket = readonly [string, ...Buffer[]];

/** What the adapter needs from a socket of its namespace. */
export interface AdapterSocket {
  readonly id: SocketId;
  readonly connected: boolean;
  /**
   * @internal Writes an already-encoded packet, honouring the broadcast flags. `packet` is the
   * packet before encoding (optional; the socket's outgoing catch-all listeners read it).
   */
  writeEncoded(encoded: EncodedPacket, flags: BroadcastFlags | undefined, packet?: Packet): void;
  /** @internal Registers the callback of a broadcast ack under `id`. */
  registerAck(id: number, ack: (...args: unknown[]) => void): void;
  /** Plain details for `fetchSockets`. */
  toDetails(): SocketDetails;
  /** Joins rooms (through the adapter). */
  join(rooms: Room | Room[]): unknown;
  /** Leaves a room (through the adapter). */
  leave(room: Room): unknown;
  /** Disconnects; `close` ends the whole connection. */
  disconnect(close?: boolean): unknown;
}

/** What the adapter needs from its namespace. */
export interface AdapterNamespace {
  readonly name: string;
  readonly sockets: ReadonlyMap<SocketId, AdapterSocket>;
  /** @internal Delivers a `serverSideEmit` from another server to this server's listeners. */
  receiveServerSideEmit(args: unknown[]): void;
  /**
   * The namespace's next ack id. A cluster adapter gives a broadcast with acks that came from
   * another server an id of this server's counter, so it cannot clash with this server's own
   * pending acks on the same socket. Optional: without it the sender's id is used.
   */
  nextAckId?(): number;
}

/**
 * Builds an adapter for a namespace: the value `io.adapter(...)` takes. Either a class, or a
 * function returning the adapter — the form the socket.io adapters' `createAdapter()` return
 * (`@socket.io/cluster-adapter`, `@socket.io/postgres-adapter`, …); both are accepted.
 */
export type AdapterConstructor<A = unknown> =
  (new (nsp: AdapterNamespace) => A) | ((nsp: AdapterNamespace) => A);

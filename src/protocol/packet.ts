/**
 * Socket.IO v5 packet model (docs/internals/wire-protocol.md, "Socket.IO v5"): the shape shared by the encoder and decoder.
 * @module
 */

/** Socket.IO packet types, as the digit that starts an encoded packet. */
export const PacketType = {
  CONNECT: 0,
  DISCONNECT: 1,
  EVENT: 2,
  ACK: 3,
  CONNECT_ERROR: 4,
  BINARY_EVENT: 5,
  BINARY_ACK: 6,
} as const;

/** One of the seven packet type digits. */
export type PacketType = (typeof PacketType)[keyof typeof PacketType];

/**
 * A decoded (or to-be-encoded) Socket.IO packet.
 * `data` holds Buffers in place of placeholders once decoded; `id` is the ack id.
 */
export interface Packet {
  type: PacketType;
  /** Namespace name, `/` when the packet carries none. */
  nsp: string;
  /** Acknowledgement id (EVENT asking for an ack, or ACK answering one). */
  id?: number;
  /** CONNECT: auth object; EVENT: `[name, ...args]`; ACK: args; CONNECT_ERROR: `{message, data?}`. */
  data?: unknown;
}

/** Event names that neither side may send as EVENT (docs/internals/wire-protocol.md, "Reserved event names"). */
export const RESERVED_EVENTS: ReadonlySet<string> = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);

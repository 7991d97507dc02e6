/**
 * socket.io-adapter's cluster messages (`ClusterAdapter`): `{uid, nsp, type, data}`, the format
 * of `@socket.io/redis-adapter`'s sharded adapter and of the other socket.io-adapter-based
 * transports. Transports encode them with `encodeClusterMessage` (JSON, or MessagePack when the
 * data holds binary) and read them with `decodeClusterMessage`.
 * @module
 */
import { decodeJsonOrMsgpack, encodeJsonOrMsgpack } from './codec';
import { isObject } from './wire-shapes';

/** Message types, socket.io-adapter's numbering. */
export const MessageType = {
  INITIAL_HEARTBEAT: 1,
  HEARTBEAT: 2,
  BROADCAST: 3,
  SOCKETS_JOIN: 4,
  SOCKETS_LEAVE: 5,
  DISCONNECT_SOCKETS: 6,
  FETCH_SOCKETS: 7,
  FETCH_SOCKETS_RESPONSE: 8,
  SERVER_SIDE_EMIT: 9,
  SERVER_SIDE_EMIT_RESPONSE: 10,
  BROADCAST_CLIENT_COUNT: 11,
  BROADCAST_ACK: 12,
  ADAPTER_CLOSE: 13,
} as const;

/** One of the message types. */
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/**
 * A cluster message or response. `uid` is the sender (`"emitter"` for socket.io's emitters),
 * `data` the body of its type (absent on heartbeats).
 */
export interface ClusterMessage {
  uid: string;
  nsp: string;
  type: MessageType;
  data?: Record<string, unknown>;
}

/** A message before the adapter stamps it with its `uid` and `nsp`. */
export type UnsentMessage = Omit<ClusterMessage, 'uid' | 'nsp'>;

/** Types whose data may carry user data, hence binary (the others are always JSON). */
const MAY_CARRY_BINARY: ReadonlySet<number> = new Set([
  MessageType.BROADCAST,
  MessageType.BROADCAST_ACK,
  MessageType.FETCH_SOCKETS_RESPONSE,
  MessageType.SERVER_SIDE_EMIT,
  MessageType.SERVER_SIDE_EMIT_RESPONSE,
]);

/**
 * Bytes of a message, as socket.io's sharded Redis adapter writes them: JSON, or MessagePack
 * when the data holds binary.
 * @throws Error when the data cannot be serialised (a BigInt, a throwing `toJSON`).
 */
export function encodeClusterMessage(message: ClusterMessage): Buffer | string {
  return MAY_CARRY_BINARY.has(message.type)
    ? encodeJsonOrMsgpack(message)
    : JSON.stringify(message);
}

/** Reads a message from bytes; `null` for anything that is not one. */
export function decodeClusterMessage(bytes: Buffer): ClusterMessage | null {
  return readClusterMessage(decodeJsonOrMsgpack(bytes));
}

/** Checks a decoded message's frame (the data is checked where it is used); `null` when it is not one. */
export function readClusterMessage(value: unknown): ClusterMessage | null {
  if (!isObject(value) || typeof value.uid !== 'string' || typeof value.nsp !== 'string')
    return null;
  const type = value.type;
  if (typeof type !== 'number' || !Number.isInteger(type) || type < 1 || type > 13) return null;
  if (value.data !== undefined && !isObject(value.data)) return null;
  return value as unknown as ClusterMessage;
}

/**
 * The classic `@socket.io/redis-adapter` protocol (its `RedisAdapter`, and
 * `@socket.io/redis-emitter`): channel names, request types, and how each message is written.
 *
 * - Broadcasts: `parser.encode([uid, packet, opts])` on `<key>#<nsp>#`, or
 *   `<key>#<nsp>#<room>#` when they target exactly one room (servers without that room skip them
 *   before decoding).
 * - Requests on `<key>-request#<nsp>#`: JSON, except a broadcast with acks (`parser`).
 * - Responses on `<key>-response#<nsp>#` (or `…#<uid>#` with `publishOnSpecificResponseChannel`):
 *   JSON, except acks of a broadcast (`parser`); wiregate also uses `parser` when a response holds
 *   binary, which socket.io reads alike (it looks at the first byte: `{` is JSON).
 * @module
 */
import { decodeMsgpack, encodeMsgpack, hasBinary } from '../codec';

/** Request types, `@socket.io/redis-adapter`'s numbering. */
export const RequestType = {
  SOCKETS: 0,
  ALL_ROOMS: 1,
  REMOTE_JOIN: 2,
  REMOTE_LEAVE: 3,
  REMOTE_DISCONNECT: 4,
  REMOTE_FETCH: 5,
  SERVER_SIDE_EMIT: 6,
  BROADCAST: 7,
  BROADCAST_CLIENT_COUNT: 8,
  BROADCAST_ACK: 9,
} as const;

/** The MessagePack codec of broadcasts (socket.io's `parser` option; notepack.io's format by default). */
export interface Parser {
  encode(value: unknown): Buffer | string | Uint8Array;
  decode(bytes: Buffer): unknown;
}

/** notepack.io's format, with `@msgpack/msgpack`: what `@socket.io/redis-adapter` uses by default. */
export const msgpackParser: Parser = { encode: encodeMsgpack, decode: decodeMsgpack };

/** The channels of one namespace. */
export interface ClassicChannels {
  /** Broadcasts: `<key>#<nsp>#`, subscribed as the pattern `<key>#<nsp>#*` (room channels too). */
  channel: string;
  /** Requests: `<key>-request#<nsp>#`. Its subscriber count is the server count. */
  requestChannel: string;
  /** Responses: `<key>-response#<nsp>#`. */
  responseChannel: string;
}

/** The channel names of namespace `nsp` under `key`. */
export function classicChannels(key: string, nsp: string): ClassicChannels {
  return {
    channel: `${key}#${nsp}#`,
    requestChannel: `${key}-request#${nsp}#`,
    responseChannel: `${key}-response#${nsp}#`,
  };
}

const OPEN_BRACE = 0x7b;

/** JSON text, or `parser` bytes when `value` holds binary. */
export function encodeRequest(value: unknown, parser: Parser): Buffer | string {
  return hasBinary(value) ? toBytes(parser.encode(value)) : JSON.stringify(value);
}

/** Bytes for Redis from a parser's output. */
export function toBytes(encoded: Buffer | string | Uint8Array): Buffer | string {
  if (typeof encoded === 'string' || Buffer.isBuffer(encoded)) return encoded;
  return Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
}

/** Reads a request or response (JSON when it starts with `{`, else `parser`); `undefined` when it is neither. */
export function decodeRequest(bytes: Buffer, parser: Parser): unknown {
  try {
    return bytes[0] === OPEN_BRACE ? JSON.parse(bytes.toString()) : parser.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Reads with `parser`; `undefined` when it throws. */
export function decodeWith(bytes: Buffer, parser: Parser): unknown {
  try {
    return parser.decode(bytes);
  } catch {
    return undefined;
  }
}

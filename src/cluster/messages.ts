/**
 * The cluster wire format: message kinds, their bodies, and their MessagePack
 * (de)serialisation. Binary travels as MessagePack `bin`, never as base64.
 * @module
 */
import { Decoder as MessagePackDecoder, Encoder } from '@msgpack/msgpack';
import { Decoder, PacketType, type Packet } from '../protocol';
import type { BroadcastFlags, BroadcastOptions, EncodedPacket, HandshakeDetails, Room, SocketDetails } from '../server';

/**
 * Version of the message format. A server ignores messages of another version, so a rolling
 * upgrade across an incompatible change degrades to two clusters instead of crashing.
 */
export const FORMAT_VERSION = 1;

/** Every message kind. Numbers, not strings: they are on every message. */
export const MessageKind = {
  /** "I just started": everyone answers with a HEARTBEAT so the newcomer learns them at once. */
  INITIAL_HEARTBEAT: 1,
  /** "I am alive": sent when a server has published nothing else for half an interval. */
  HEARTBEAT: 2,
  /** "I am leaving": stop counting me and stop waiting for my answers. */
  ADAPTER_CLOSE: 3,
  /** A broadcast; with a request id, a broadcast whose recipients must ack. */
  BROADCAST: 4,
  /** Answer to an acked BROADCAST: how many local sockets received it. */
  BROADCAST_CLIENT_COUNT: 5,
  /** Answer to an acked BROADCAST: one client's ack arguments. */
  BROADCAST_ACK: 6,
  SOCKETS_JOIN: 7,
  SOCKETS_LEAVE: 8,
  DISCONNECT_SOCKETS: 9,
  /** Answer to SOCKETS_JOIN / SOCKETS_LEAVE / DISCONNECT_SOCKETS: "done here". */
  OPERATION_DONE: 10,
  FETCH_SOCKETS: 11,
  FETCH_SOCKETS_RESPONSE: 12,
  SERVER_SIDE_EMIT: 13,
  SERVER_SIDE_EMIT_RESPONSE: 14,
} as const;

const KINDS: ReadonlySet<unknown> = new Set(Object.values(MessageKind));

/** One of the message kinds. */
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];

/** A selection as it travels: arrays instead of sets, and never the `local` flag. */
export interface WireOptions {
  rooms: Room[];
  except: Room[];
  flags: Omit<BroadcastFlags, 'local'>;
}

/** A packet whose recipients must ack: re-encoded by each server with its own ack id. */
export interface WirePacket {
  type: number;
  nsp: string;
  /** The sender's ack id; a receiver uses its own when the namespace offers one. */
  id?: number;
  data: unknown;
}

/** Bodies, by kind. `requestId` is set on requests that expect answers. */
export interface MessageBodies {
  [MessageKind.INITIAL_HEARTBEAT]: null;
  [MessageKind.HEARTBEAT]: null;
  [MessageKind.ADAPTER_CLOSE]: null;
  [MessageKind.BROADCAST]:
    | { opts: WireOptions; encoded: EncodedPacket; requestId?: undefined }
    | { opts: WireOptions; packet: WirePacket; requestId: number };
  [MessageKind.BROADCAST_CLIENT_COUNT]: { requestId: number; count: number };
  [MessageKind.BROADCAST_ACK]: { requestId: number; args: unknown[] };
  [MessageKind.SOCKETS_JOIN]: { requestId: number; opts: WireOptions; rooms: Room[] };
  [MessageKind.SOCKETS_LEAVE]: { requestId: number; opts: WireOptions; rooms: Room[] };
  [MessageKind.DISCONNECT_SOCKETS]: { requestId: number; opts: WireOptions; close: boolean };
  [MessageKind.OPERATION_DONE]: { requestId: number };
  [MessageKind.FETCH_SOCKETS]: { requestId: number; opts: WireOptions };
  [MessageKind.FETCH_SOCKETS_RESPONSE]: { requestId: number; sockets: SocketDetails[] };
  [MessageKind.SERVER_SIDE_EMIT]: { requestId?: number; args: unknown[] };
  [MessageKind.SERVER_SIDE_EMIT_RESPONSE]: { requestId: number; reply: unknown };
}

/** A decoded message: who sent it, what kind, and the body. */
export interface ClusterMessage<K extends MessageKind = MessageKind> {
  uid: string;
  kind: K;
  body: MessageBodies[K];
}

// Deeper data is refused by the encoder (as JSON.stringify refuses cycles), which keeps the
// recursive walks below far from the stack limit.
const MAX_DEPTH = 1000;
const encoder = new Encoder({ ignoreUndefined: true, maxDepth: MAX_DEPTH });
const decoder = new MessagePackDecoder();

/**
 * Serialises a message as the MessagePack array `[version, uid, kind, body]`. The result is a
 * Buffer over the encoder's output (no copy), ready to publish.
 * @throws Error when the body holds something MessagePack cannot carry (BigInt, too deep).
 */
export function encodeMessage<K extends MessageKind>(uid: string, kind: K, body: MessageBodies[K]): Buffer {
  const bytes = encoder.encode([FORMAT_VERSION, uid, kind, body]);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Parses a message; `null` for anything that is not a message of this format version (another
 * version, or garbage someone published on our channel).
 */
export function decodeMessage(bytes: Uint8Array): ClusterMessage | null {
  let decoded: unknown;
  try {
    decoded = decoder.decode(bytes);
  } catch {
    return null;
  }
  if (!Array.isArray(decoded) || decoded.length !== 4 || decoded[0] !== FORMAT_VERSION) return null;
  const [, uid, kind, body] = decoded as [number, unknown, unknown, unknown];
  if (typeof uid !== 'string' || !KINDS.has(kind as number)) return null;
  return { uid, kind: kind as MessageKind, body: body as MessageBodies[MessageKind] };
}

/** The selection as it travels. */
export function toWireOptions(opts: BroadcastOptions): WireOptions {
  const flags = opts.flags ?? {};
  const wireFlags: WireOptions['flags'] = {};
  if (flags.volatile) wireFlags.volatile = true;
  if (flags.compress !== undefined) wireFlags.compress = flags.compress;
  if (flags.timeout !== undefined) wireFlags.timeout = flags.timeout;
  return { rooms: [...opts.rooms], except: opts.except ? [...opts.except] : [], flags: wireFlags };
}

/** The selection back as the adapter takes it. */
export function fromWireOptions(opts: WireOptions): BroadcastOptions {
  return { rooms: new Set(opts.rooms), except: new Set(opts.except), flags: opts.flags };
}

/**
 * Prepares user data (event arguments, ack replies, `socket.data`) the way the socket.io wire
 * would see it, but keeping binary: `toJSON()` is honoured, functions and `undefined` are dropped
 * (`null` inside arrays), ArrayBuffers and typed arrays become Buffers (MessagePack `bin`). Dates
 * stay Dates (MessagePack timestamps).
 */
export function toWireValue(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  }
  if (depth > MAX_DEPTH) return value; // the encoder refuses it with a clear error
  if (Buffer.isBuffer(value) || value instanceof Date) return value;
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return toWireValue((value as { toJSON(): unknown }).toJSON(), depth + 1);
  }
  if (Array.isArray(value)) {
    return value.map((v) => {
      const w = toWireValue(v, depth + 1);
      return w === undefined ? null : w;
    });
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    // The decoder refuses a `__proto__` key (prototype pollution), which would lose the whole message.
    if (key === '__proto__') continue;
    const w = toWireValue((value as Record<string, unknown>)[key], depth + 1);
    if (w !== undefined) out[key] = w;
  }
  return out;
}

/** Turns decoded `bin` values (Uint8Array views) back into Buffers, in place, sharing memory. */
export function fromWireValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = fromWireValue(value[i]);
    return value;
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) obj[key] = fromWireValue(obj[key]);
  return obj;
}

/** Socket details ready to travel. */
export function toWireDetails(details: SocketDetails): SocketDetails {
  return { id: details.id, handshake: toWireValue(details.handshake) as HandshakeDetails, rooms: details.rooms, data: toWireValue(details.data) };
}

/** A packet's attachments back as Buffers (MessagePack hands out Uint8Array views). */
export function fromWireEncoded(encoded: EncodedPacket): EncodedPacket {
  const parts = encoded as unknown as unknown[];
  for (let i = 1; i < parts.length; i++) parts[i] = fromWireValue(parts[i]);
  return encoded;
}

/**
 * The packet of a broadcast received already encoded: its data is decoded on first read only,
 * which happens when a recipient has outgoing catch-all listeners (`socket.onAnyOutgoing`).
 */
export class EncodedBroadcast implements Packet {
  readonly type = PacketType.EVENT;
  private decoded: unknown[] | null = null;

  constructor(
    readonly nsp: string,
    private readonly encoded: EncodedPacket,
  ) {}

  get data(): unknown[] {
    if (this.decoded === null) {
      const attachments = this.encoded.length - 1;
      const bytes = this.encoded.reduce<number>((n, part) => n + (typeof part === 'string' ? 0 : part.length), 0);
      const decoder = new Decoder({ maxAttachments: attachments, maxAttachmentBytes: bytes });
      let packet: Packet | null = null;
      try {
        for (const part of this.encoded) packet = decoder.add(part);
      } catch {
        // Our own encoder wrote it; should it not decode, listeners see no arguments.
      }
      this.decoded = (packet?.data as unknown[] | undefined) ?? [];
    }
    return this.decoded;
  }
}

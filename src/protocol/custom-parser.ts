/**
 * Custom parsers (the `parser` server option): any module shaped like socket.io-parser,
 * `{ Encoder, Decoder }`, such as socket.io-msgpack-parser. What they decode is checked here
 * before the server acts on it: a parser is code of the application's choosing fed bytes of
 * the client's, and neither is trusted to produce a well-formed packet.
 * @module
 */
import { type Packet, PacketType } from './packet';
import { ProtocolError } from './protocol-error';
import { isPayloadValid } from './validate';

/**
 * A custom parser's encoder: one packet becomes the Engine.IO messages to send, in order (an
 * array of strings and binary parts; checked when used, as typings of parsers vary).
 */
export interface ParserEncoder {
  encode(packet: Packet): unknown;
}

/**
 * A custom parser's decoder, one per connection: fed every Engine.IO message, it emits
 * `decoded` with each complete packet, and throws (or emits nothing) on what it cannot read.
 */
export interface ParserDecoder {
  add(chunk: unknown): void;
  on(event: 'decoded', listener: (packet: unknown) => void): unknown;
  destroy?(): void;
}

/**
 * The `parser` option: what `require('socket.io-parser')` or `require('socket.io-msgpack-parser')` is.
 * @example new Server(httpServer, { parser: require('socket.io-msgpack-parser') });
 */
export interface ParserModule {
  Encoder: new () => ParserEncoder;
  Decoder: new () => ParserDecoder;
}

const MAX_PACKET_TYPE = PacketType.BINARY_ACK;

/**
 * Encodes with a custom encoder into what the engine sends: strings and Buffers (a parser may
 * hand out Uint8Arrays or ArrayBuffers; they are wrapped, not copied).
 * @throws ProtocolError when the encoder returns a part that is neither text nor binary.
 */
export function encodeWith(encoder: ParserEncoder, packet: Packet): (string | Buffer)[] {
  return toEngineMessages(encoder.encode(packet));
}

/** The parts of an encoded packet as engine messages (see {@link encodeWith}). */
export function toEngineMessages(parts: unknown): (string | Buffer)[] {
  if (!Array.isArray(parts))
    throw new ProtocolError('the custom parser did not encode a packet as an array of parts');
  const out: (string | Buffer)[] = [];
  for (const part of parts) {
    if (typeof part === 'string' || Buffer.isBuffer(part)) out.push(part);
    else if (ArrayBuffer.isView(part))
      out.push(Buffer.from(part.buffer, part.byteOffset, part.byteLength));
    else if (part instanceof ArrayBuffer) out.push(Buffer.from(part));
    else
      throw new ProtocolError('the custom parser encoded a part that is neither text nor binary');
  }
  return out;
}

/**
 * Checks what a custom decoder emitted and returns it as a packet of this server's shape:
 * BINARY_EVENT/BINARY_ACK become EVENT/ACK (the data already holds the binary parts).
 * @throws ProtocolError when it is not a valid packet.
 */
export function toDecodedPacket(value: unknown): Packet {
  if (typeof value !== 'object' || value === null) throw invalid('not a packet object');
  const { type, nsp, id, data } = value as Record<string, unknown>;
  if (typeof type !== 'number' || !Number.isInteger(type) || type < 0 || type > MAX_PACKET_TYPE)
    throw invalid('unknown packet type');
  if (typeof nsp !== 'string' || nsp.charCodeAt(0) !== 47 /* / */)
    throw invalid('invalid namespace');
  if (id !== undefined && id !== null && !(Number.isSafeInteger(id) && (id as number) >= 0))
    throw invalid('invalid ack id');
  if (!isPayloadValid(type as PacketType, data)) throw invalid('invalid payload');
  const packetType =
    type === PacketType.BINARY_EVENT
      ? PacketType.EVENT
      : type === PacketType.BINARY_ACK
        ? PacketType.ACK
        : (type as PacketType);
  return { type: packetType, nsp, id: id === null ? undefined : (id as number | undefined), data };
}

function invalid(why: string): ProtocolError {
  return new ProtocolError(`the custom parser decoded an invalid packet: ${why}`);
}

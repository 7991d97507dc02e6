/**
 * Engine.IO v3 packet and payload framing (docs/internals/engine-io-v3.md): what
 * socket.io-client 2.x (engine.io-client 3.x) sends and expects. Pure functions.
 * @module
 */
import {
  decodeTextPacket,
  PACKET_TYPES,
  type EnginePacket,
  type EnginePacketType,
} from '../packet';

const TYPE_DIGIT: Record<EnginePacketType, number> = {
  open: 0,
  close: 1,
  ping: 2,
  pong: 3,
  message: 4,
  upgrade: 5,
  noop: 6,
};

const CODE_B = 98; // 'b'
const STRING_PART = 0;
const BINARY_PART = 1;
const LENGTH_END = 0xff;
/** Digits of one length in a payload: far beyond any `maxHttpBufferSize`, short of a DoS. */
const MAX_LENGTH_DIGITS = 16;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** One packet as text: `<digit><data>`, binary data as `b<digit><base64>`. */
export function encodeTextPacketV3(packet: EnginePacket): string {
  const { type, data } = packet;
  if (Buffer.isBuffer(data)) return `b${TYPE_DIGIT[type]}${data.toString('base64')}`;
  return data === undefined ? String(TYPE_DIGIT[type]) : TYPE_DIGIT[type] + data;
}

/** A binary packet as a v3 WebSocket binary frame: the type byte, then the data. */
export function encodeBinaryFrameV3(type: EnginePacketType, data: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(data.length + 1);
  frame[0] = TYPE_DIGIT[type];
  data.copy(frame, 1);
  return frame;
}

/** A v3 binary frame (or binary payload part): type byte then data; null for an unknown type. */
export function decodeBinaryPacketV3(bytes: Buffer): EnginePacket | null {
  const type = PACKET_TYPES[bytes[0]];
  return type === undefined ? null : { type, data: bytes.subarray(1) };
}

/** A v3 text packet, `b<digit><base64>` included; null when it is not one. */
export function decodeTextPacketV3(text: string): EnginePacket | null {
  if (text.charCodeAt(0) !== CODE_B) return decodeTextPacket(text);
  const type = PACKET_TYPES[text.charCodeAt(1) - 48];
  const base64 = text.slice(2);
  if (type === undefined || !BASE64.test(base64)) return null;
  return { type, data: Buffer.from(base64, 'base64') };
}

/**
 * A polling response body. Clients that take binary (no `b64` in their handshake query) get a
 * binary payload when a packet carries binary; otherwise, and for text only, the text payload:
 * `<length>:<packet>` per packet, the length in UTF-16 code units.
 */
export function encodePayloadV3(
  packets: readonly EnginePacket[],
  supportsBinary: boolean,
): string | Buffer {
  if (supportsBinary && packets.some(isBinaryPacket)) return encodeBinaryPayload(packets);
  let out = '';
  for (const packet of packets) {
    const text = encodeTextPacketV3(packet);
    out += `${text.length}:${text}`;
  }
  return out;
}

/** `<0 text | 1 binary><length as one byte per decimal digit><0xff><bytes>` per packet. */
function encodeBinaryPayload(packets: readonly EnginePacket[]): Buffer {
  const parts: Buffer[] = [];
  for (const packet of packets) {
    const data = packet.data;
    const isBinary = Buffer.isBuffer(data);
    const bytes = isBinary
      ? encodeBinaryFrameV3(packet.type, data)
      : Buffer.from(
          data === undefined ? String(TYPE_DIGIT[packet.type]) : TYPE_DIGIT[packet.type] + data,
        );
    const digits = String(bytes.length);
    const header = Buffer.allocUnsafe(digits.length + 2);
    header[0] = isBinary ? BINARY_PART : STRING_PART;
    for (let i = 0; i < digits.length; i++) header[i + 1] = digits.charCodeAt(i) - 48;
    header[digits.length + 1] = LENGTH_END;
    parts.push(header, bytes);
  }
  return Buffer.concat(parts);
}

function isBinaryPacket(packet: EnginePacket): boolean {
  return Buffer.isBuffer(packet.data);
}

/**
 * A polling request body: a binary payload (`Content-Type: application/octet-stream`) or a
 * text one. Null when anything in it is malformed: the session then ends with `parse error`.
 */
export function decodePayloadV3(body: Buffer, isBinary: boolean): EnginePacket[] | null {
  return isBinary ? decodeBinaryPayload(body) : decodeTextPayload(body.toString());
}

function decodeTextPayload(payload: string): EnginePacket[] | null {
  if (payload.length === 0) return null;
  const packets: EnginePacket[] = [];
  let pos = 0;
  while (pos < payload.length) {
    const colon = payload.indexOf(':', pos);
    if (colon === -1 || colon === pos || colon - pos > MAX_LENGTH_DIGITS) return null;
    const digits = payload.slice(pos, colon);
    if (!/^\d+$/.test(digits)) return null;
    const length = Number(digits);
    const start = colon + 1;
    if (start + length > payload.length) return null;
    // An empty packet (`0:`) is what a v3 client sends for nothing: skipped, like the reference.
    if (length > 0) {
      const packet = decodeTextPacketV3(payload.slice(start, start + length));
      if (packet === null) return null;
      packets.push(packet);
    }
    pos = start + length;
  }
  return packets;
}

function decodeBinaryPayload(body: Buffer): EnginePacket[] | null {
  const packets: EnginePacket[] = [];
  let pos = 0;
  while (pos < body.length) {
    const kind = body[pos];
    if (kind !== STRING_PART && kind !== BINARY_PART) return null;
    let length = 0;
    let end = pos + 1;
    for (; end < body.length && body[end] !== LENGTH_END; end++) {
      const digit = body[end];
      if (digit > 9 || end - pos > MAX_LENGTH_DIGITS) return null;
      length = length * 10 + digit;
    }
    if (end === pos + 1 || end >= body.length || end + 1 + length > body.length || length === 0)
      return null;
    const bytes = body.subarray(end + 1, end + 1 + length);
    const packet =
      kind === BINARY_PART ? decodeBinaryPacketV3(bytes) : decodeTextPacket(bytes.toString());
    if (packet === null) return null;
    packets.push(packet);
    pos = end + 1 + length;
  }
  return packets;
}

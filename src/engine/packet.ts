/**
 * Engine.IO v4 packet and payload codec (docs/internals/wire-protocol.md, "Engine.IO packets" and "Long-polling"): pure functions.
 * @module
 */

/** Engine.IO packet type names, indexed by their wire digit. */
export const PACKET_TYPES = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'] as const;

/** An Engine.IO packet type name. */
export type EnginePacketType = (typeof PACKET_TYPES)[number];

const TYPE_DIGIT: Record<EnginePacketType, string> = {
  open: '0',
  close: '1',
  ping: '2',
  pong: '3',
  message: '4',
  upgrade: '5',
  noop: '6',
};

/** One Engine.IO packet; only `message` packets carry binary data. */
export interface EnginePacket {
  type: EnginePacketType;
  data?: string | Buffer;
  /** Per-message WebSocket compression hint (`compress: false` skips permessage-deflate). */
  compress?: boolean;
  /** Runs once the packet was handed to the connection (`session.send`'s callback). */
  onSent?: () => void;
}

/** Record separator joining packets in a polling payload. */
export const RECORD_SEPARATOR = '\x1e';

/** Encodes a text packet (`4hello`, `2`, `3probe`); binary data is returned as is (a WebSocket binary frame). */
export function encodeForWebSocket(type: EnginePacketType, data: string | Buffer | undefined): string | Buffer {
  if (Buffer.isBuffer(data)) return data;
  return data === undefined ? TYPE_DIGIT[type] : TYPE_DIGIT[type] + data;
}

/** Encodes a packet for a polling payload: binary becomes `b<base64>` (no type digit). */
export function encodePacketForPolling(packet: EnginePacket): string {
  const data = packet.data;
  if (Buffer.isBuffer(data)) return 'b' + data.toString('base64');
  return data === undefined ? TYPE_DIGIT[packet.type] : TYPE_DIGIT[packet.type] + data;
}

/** Joins packets into one polling payload. */
export function encodePayload(packets: readonly EnginePacket[]): string {
  let out = '';
  for (let i = 0; i < packets.length; i++) {
    if (i > 0) out += RECORD_SEPARATOR;
    out += encodePacketForPolling(packets[i]);
  }
  return out;
}

/**
 * Decodes one text packet. Returns null for anything that is not a valid packet
 * (empty string, unknown type digit): the caller closes the session with `parse error`.
 */
export function decodeTextPacket(text: string): EnginePacket | null {
  if (text.length === 0) return null;
  const digit = text.charCodeAt(0) - 48;
  if (digit < 0 || digit > 6) return null;
  const type = PACKET_TYPES[digit];
  return text.length > 1 ? { type, data: text.slice(1) } : { type };
}

/**
 * Decodes one packet of a polling payload, where binary travels as `b<base64>`.
 * Returns null when the packet is not decodable.
 */
export function decodePollingPacket(text: string): EnginePacket | null {
  if (text.charCodeAt(0) === 98 /* b */) {
    const base64 = text.slice(1);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return null;
    return { type: 'message', data: Buffer.from(base64, 'base64') };
  }
  return decodeTextPacket(text);
}

/** Splits and decodes a polling payload; null when any packet is undecodable. */
export function decodePayload(payload: string): EnginePacket[] | null {
  const parts = payload.split(RECORD_SEPARATOR);
  const packets: EnginePacket[] = [];
  for (const part of parts) {
    const packet = decodePollingPacket(part);
    if (packet === null) return null;
    packets.push(packet);
  }
  return packets;
}

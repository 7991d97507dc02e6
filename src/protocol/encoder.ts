/**
 * Socket.IO v5 packet encoder (docs/internals/wire-protocol.md, "Encoding and decoding" and "Binary attachments"): a packet becomes one text packet plus,
 * for binary data, its attachments in order.
 * @module
 */
import { WiregateError } from '../shared/errors';
import { BinaryScan, extractBinary, scanBinary } from './binary';
import { type Packet, PacketType } from './packet';

export { hasBinary } from './binary';

/**
 * Encodes a packet: element 0 is the text packet (e.g. `2/admin,13["bar"]`), the rest are the
 * binary attachments (Buffers) in order.
 *
 * EVENT/ACK whose data contains binary (Buffer, ArrayBuffer, any ArrayBuffer view, nested anywhere
 * in arrays and objects; Dates are not walked) are sent as BINARY_EVENT/BINARY_ACK with `<n>-` and
 * `{"_placeholder":true,"num":N}` placeholders. A BINARY_EVENT/BINARY_ACK given without binary is
 * sent as EVENT/ACK: official clients refuse a `50-` header. Never mutates the caller's data.
 *
 * @example
 * encodePacket({ type: PacketType.EVENT, nsp: '/admin', id: 13, data: ['bar'] });
 * // ['2/admin,13["bar"]']
 * encodePacket({ type: PacketType.EVENT, nsp: '/', data: ['baz', Buffer.from([1, 2, 3, 4])] });
 * // ['51-["baz",{"_placeholder":true,"num":0}]', <Buffer 01 02 03 04>]
 * @throws WiregateError `WG_ERR_INVALID_ARGUMENT` when the data cannot be serialised to JSON
 * (circular, BigInt, nested deeper than 1000 levels).
 */
export function encodePacket(packet: Packet): [string, ...Buffer[]] {
  const { type, data } = packet;
  if (!isEventOrAck(type)) return [encodeText(type, '', packet, data)];
  const scan = scanBinary(data);
  if (scan === BinaryScan.UNENCODABLE) throw notSerialisable();
  const isEvent = type === PacketType.EVENT || type === PacketType.BINARY_EVENT;
  if (scan === BinaryScan.NONE) {
    return [encodeText(isEvent ? PacketType.EVENT : PacketType.ACK, '', packet, data)];
  }
  const out: [string, ...Buffer[]] = [''];
  const withPlaceholders = extractBinary(data, out);
  const binaryType = isEvent ? PacketType.BINARY_EVENT : PacketType.BINARY_ACK;
  out[0] = encodeText(binaryType, `${out.length - 1}-`, packet, withPlaceholders);
  return out;
}

function isEventOrAck(type: PacketType): boolean {
  return (
    type === PacketType.EVENT ||
    type === PacketType.ACK ||
    type === PacketType.BINARY_EVENT ||
    type === PacketType.BINARY_ACK
  );
}

/** `<type>[<attachments>-][<nsp>,][<id>][<json>]`; the namespace `/` is implicit. */
function encodeText(type: PacketType, attachments: string, packet: Packet, data: unknown): string {
  let text = `${type}${attachments}`;
  if (packet.nsp && packet.nsp !== '/') text += `${packet.nsp},`;
  if (packet.id != null) text += packet.id;
  if (data != null) text += stringify(data);
  return text;
}

function stringify(data: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(data);
  } catch (err) {
    throw notSerialisable(err);
  }
  // JSON.stringify answers undefined for a function or symbol: nothing to send.
  return json ?? '';
}

function notSerialisable(cause?: unknown): WiregateError {
  const message =
    'packet data cannot be serialised to JSON (circular, BigInt, or nested deeper than 1000 levels)';
  return new WiregateError('WG_ERR_INVALID_ARGUMENT', message, { cause });
}

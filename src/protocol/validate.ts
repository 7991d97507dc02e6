/**
 * Which data each Socket.IO packet type may carry (docs/internals/wire-protocol.md, "Encoding and decoding", step 5).
 * @module
 */
import { PacketType, RESERVED_EVENTS } from './packet';

/**
 * True for a JSON object (not an array, not null).
 * Only meant for `JSON.parse` output, where every object is plain: no class instances to rule out.
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for `[name, ...args]` where name is a number or a string that is not reserved (§3.8). */
export function isEventData(value: unknown): value is [string | number, ...unknown[]] {
  if (!Array.isArray(value) || value.length === 0) return false;
  const name: unknown = value[0];
  return typeof name === 'number' || (typeof name === 'string' && !RESERVED_EVENTS.has(name));
}

/**
 * True when `data` (already parsed; `undefined` when the packet had no JSON) is valid for `type`.
 *
 * Deliberately stricter than the reference decoder, which only checks data that is present:
 * EVENT, ACK and CONNECT_ERROR without data are refused here, so a decoded EVENT always has a
 * name and a decoded ACK always has an argument array. No official client sends them bare.
 */
export function isPayloadValid(type: PacketType, data: unknown): boolean {
  switch (type) {
    case PacketType.CONNECT:
      return data === undefined || isJsonObject(data);
    case PacketType.DISCONNECT:
      return data === undefined;
    case PacketType.CONNECT_ERROR:
      return typeof data === 'string' || isJsonObject(data);
    case PacketType.EVENT:
    case PacketType.BINARY_EVENT:
      return isEventData(data);
    case PacketType.ACK:
    case PacketType.BINARY_ACK:
      return Array.isArray(data);
    default:
      return false;
  }
}

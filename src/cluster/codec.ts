/**
 * How cluster messages become bytes, the way `@socket.io/redis-adapter` and socket.io-adapter
 * write them: MessagePack as `notepack.io` writes it (binary as `bin`, Dates as timestamps,
 * `toJSON()` honoured, functions and `undefined` dropped), or JSON text. A reader tells the two
 * apart by the first byte: `{` is JSON, anything else MessagePack.
 * @module
 */
import { Decoder, Encoder } from '@msgpack/msgpack';

// Deeper data is refused by the encoder (as JSON.stringify refuses cycles), which keeps the
// recursive walks below far from the stack limit.
const MAX_DEPTH = 1000;
const encoder = new Encoder({ ignoreUndefined: true, maxDepth: MAX_DEPTH });
const decoder = new Decoder();
const OPEN_BRACE = 0x7b;

/**
 * MessagePack bytes of `value`, as notepack.io would write them. The result is a Buffer over the
 * encoder's output (no copy), ready to publish.
 * @throws Error when the value holds something MessagePack cannot carry (BigInt, too deep).
 */
export function encodeMsgpack(value: unknown): Buffer {
  const bytes = encoder.encode(toWireValue(value));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * JSON text, or MessagePack when `value` holds binary (JSON would turn a Buffer into
 * `{type: 'Buffer', data: [...]}`): what socket.io-adapter's transports write for messages that
 * may carry user data.
 */
export function encodeJsonOrMsgpack(value: unknown): Buffer | string {
  return hasBinary(value) ? encodeMsgpack(value) : JSON.stringify(value);
}

/**
 * Reads a message written as JSON or MessagePack; binary comes back as Buffers. `undefined` for
 * bytes that are neither (garbage on our channel).
 */
export function decodeJsonOrMsgpack(bytes: Buffer): unknown {
  try {
    if (bytes[0] === OPEN_BRACE) return JSON.parse(bytes.toString());
    return fromWireValue(decoder.decode(bytes));
  } catch {
    return undefined;
  }
}

/** Reads MessagePack; binary comes back as Buffers. `undefined` for bytes that are not MessagePack. */
export function decodeMsgpack(bytes: Buffer): unknown {
  try {
    return fromWireValue(decoder.decode(bytes));
  } catch {
    return undefined;
  }
}

/** Whether `value` holds binary anywhere (what decides between JSON and MessagePack). */
export function hasBinary(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return false;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (hasBinary(item, depth + 1)) return true;
    return false;
  }
  if (value instanceof Date) return false;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function')
    return hasBinary((value as { toJSON(): unknown }).toJSON(), depth + 1);
  for (const key of Object.keys(value))
    if (hasBinary((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

/**
 * Prepares data the way notepack.io sees it: `toJSON()` is honoured, functions and `undefined`
 * are dropped from objects (`null` in arrays), ArrayBuffers and typed arrays become Buffers
 * (MessagePack `bin`), Dates stay Dates (timestamps).
 */
export function toWireValue(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  }
  if (depth > MAX_DEPTH) return value; // the encoder refuses it with a clear error
  if (Buffer.isBuffer(value) || value instanceof Date) return value;
  if (ArrayBuffer.isView(value))
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
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

/** Turns decoded `bin` values (Uint8Array views) into Buffers, in place, sharing memory. */
export function fromWireValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = fromWireValue(value[i]);
    return value;
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) obj[key] = fromWireValue(obj[key]);
  return obj;
}

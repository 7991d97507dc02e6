/**
 * Binary attachments (docs/internals/wire-protocol.md, "Binary attachments"): finding binary values in packet data, swapping them for
 * numbered placeholders on the way out, and swapping the placeholders back on the way in.
 * @module
 */
import { WiregateError } from '../shared/errors';
import { ProtocolError } from './protocol-error';

/** A value sent as an attachment: Buffer, ArrayBuffer, or any view on an ArrayBuffer. */
export type BinaryValue = ArrayBuffer | ArrayBufferView;

/** The placeholder that stands for attachment `num` in the JSON text. */
export interface Placeholder {
  _placeholder: true;
  num: number;
}

/**
 * Deepest nesting the encoder walks. Deeper (or circular) data cannot be serialised anyway, and
 * the limit keeps the recursive walk far from the stack limit.
 */
export const MAX_DATA_DEPTH = 1000;

/** Outcome of a binary scan: none found, found, or data the encoder must refuse. */
const SCAN_NONE = 0;
const SCAN_FOUND = 1;
const SCAN_UNENCODABLE = 2;
type ScanResult = typeof SCAN_NONE | typeof SCAN_FOUND | typeof SCAN_UNENCODABLE;

/**
 * Containers on the path from the root to the value being walked. A container met again on its
 * own path is a cycle: a depth limit alone would not do, because a self-referencing object with k
 * keys costs k^depth steps before the limit is reached. Reused across calls so the common
 * (acyclic, shallow) walk allocates nothing; entry points restore its length, which also keeps it
 * correct when a user `toJSON` re-enters the encoder.
 */
const ancestors: object[] = [];

/** True for a Buffer, an ArrayBuffer, or any typed array / DataView. */
export function isBinary(value: unknown): value is BinaryValue {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

/** Exactly the bytes of `value` as a Buffer, sharing memory (a view's byteOffset is honoured). */
export function toBuffer(value: BinaryValue): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (ArrayBuffer.isView(value))
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.from(value);
}

/**
 * True when `value` contains binary anywhere: in arrays, in own enumerable properties of objects,
 * or in what an object's `toJSON()` returns (as JSON.stringify would see it). Dates are not walked.
 * Circular data, or data nested deeper than {@link MAX_DATA_DEPTH}, answers false (the encoder
 * refuses such data with `WG_ERR_INVALID_ARGUMENT`).
 *
 * @example
 * hasBinary(['upload', { file: Buffer.from('hi') }]); // true
 * hasBinary(['chat', 'hello']);                        // false
 */
export function hasBinary(value: unknown): boolean {
  return scanBinary(value) === SCAN_FOUND;
}

/** @internal Like {@link hasBinary}, telling "no binary" apart from "cannot be encoded". */
export function scanBinary(value: unknown): ScanResult {
  if (typeof value !== 'object' || value === null) return SCAN_NONE;
  const base = ancestors.length;
  try {
    return scan(value, 0, false);
  } finally {
    ancestors.length = base;
  }
}

/** @internal Outcomes of {@link scanBinary}. */
export const BinaryScan = {
  NONE: SCAN_NONE,
  FOUND: SCAN_FOUND,
  UNENCODABLE: SCAN_UNENCODABLE,
} as const;

function hasToJson(value: object): value is { toJSON(): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

function scan(value: unknown, depth: number, viaToJson: boolean): ScanResult {
  if (typeof value !== 'object' || value === null) return SCAN_NONE;
  if (isBinary(value)) return SCAN_FOUND;
  if (value instanceof Date) return SCAN_NONE;
  if (depth >= MAX_DATA_DEPTH || ancestors.includes(value)) return SCAN_UNENCODABLE;
  const isArray = Array.isArray(value);
  // JSON.stringify serialises what toJSON returns (and does not call toJSON on that result again).
  if (!isArray && !viaToJson && hasToJson(value)) return scan(value.toJSON(), depth + 1, true);
  ancestors.push(value);
  const result = isArray ? scanArray(value, depth + 1) : scanObject(value, depth + 1);
  ancestors.pop();
  return result;
}

function scanArray(items: readonly unknown[], depth: number): ScanResult {
  for (let i = 0; i < items.length; i++) {
    const result = scan(items[i], depth, false);
    if (result !== SCAN_NONE) return result;
  }
  return SCAN_NONE;
}

function scanObject(source: object, depth: number): ScanResult {
  // for-in + hasOwn visits what Object.keys would, without allocating the key array per object.
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const result = scan((source as Record<string, unknown>)[key], depth, false);
    if (result !== SCAN_NONE) return result;
  }
  return SCAN_NONE;
}

/**
 * @internal Returns a copy of `value` where every binary value is replaced by a placeholder whose
 * `num` is its index in `out` minus one (element 0 of `out` is reserved for the text packet), and
 * appends the attachments to `out`. Containers are copied, the caller's data is never mutated.
 * @throws WiregateError `WG_ERR_INVALID_ARGUMENT` for circular or too deeply nested data.
 */
export function extractBinary(value: unknown, out: [string, ...Buffer[]]): unknown {
  const base = ancestors.length;
  try {
    return extract(value, out, 0, false);
  } finally {
    ancestors.length = base;
  }
}

function extract(
  value: unknown,
  out: [string, ...Buffer[]],
  depth: number,
  viaToJson: boolean,
): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (isBinary(value)) {
    const placeholder: Placeholder = { _placeholder: true, num: out.length - 1 };
    out.push(toBuffer(value));
    return placeholder;
  }
  if (value instanceof Date) return value;
  if (depth >= MAX_DATA_DEPTH || ancestors.includes(value)) throw unencodableError();
  const isArray = Array.isArray(value);
  if (!isArray && !viaToJson && hasToJson(value))
    return extract(value.toJSON(), out, depth + 1, true);
  ancestors.push(value);
  const copy = isArray ? extractArray(value, out, depth + 1) : extractObject(value, out, depth + 1);
  ancestors.pop();
  return copy;
}

function extractArray(
  items: readonly unknown[],
  out: [string, ...Buffer[]],
  depth: number,
): unknown[] {
  const copy = new Array<unknown>(items.length);
  for (let i = 0; i < items.length; i++) copy[i] = extract(items[i], out, depth, false);
  return copy;
}

function extractObject(
  source: object,
  out: [string, ...Buffer[]],
  depth: number,
): Record<string, unknown> {
  // Null prototype: a user key named "__proto__" stays a plain own key, never a prototype change.
  const copy = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    copy[key] = extract((source as Record<string, unknown>)[key], out, depth, false);
  }
  return copy;
}

function unencodableError(): WiregateError {
  return new WiregateError(
    'WG_ERR_INVALID_ARGUMENT',
    `packet data is circular or nested deeper than ${MAX_DATA_DEPTH} levels`,
  );
}

/**
 * @internal Replaces, in place, every placeholder in decoded JSON `data` by its attachment.
 * Iterative (an explicit stack), because JSON.parse accepts nesting far deeper than the call stack.
 * Replacement uses defineProperty on own keys only: an own `"__proto__"` key made by JSON.parse
 * gets a new value, never a new prototype.
 * @throws ProtocolError `illegal attachments` when a placeholder's `num` is not an integer in [0, n).
 */
export function restoreAttachments(data: unknown, attachments: readonly Buffer[]): void {
  if (typeof data !== 'object' || data === null) return;
  const pending: object[] = [data];
  for (let container = pending.pop(); container !== undefined; container = pending.pop()) {
    if (Array.isArray(container)) restoreInArray(container, attachments, pending);
    else restoreInObject(container as Record<string, unknown>, attachments, pending);
  }
}

function isPlaceholderLike(value: object): boolean {
  return (value as { _placeholder?: unknown })._placeholder === true;
}

function restoreInArray(items: unknown[], attachments: readonly Buffer[], pending: object[]): void {
  for (let i = 0; i < items.length; i++) {
    const child = items[i];
    if (typeof child !== 'object' || child === null) continue;
    if (isPlaceholderLike(child)) items[i] = attachmentFor(child, attachments);
    else pending.push(child);
  }
}

function restoreInObject(
  source: Record<string, unknown>,
  attachments: readonly Buffer[],
  pending: object[],
): void {
  for (const key of Object.keys(source)) {
    const child = source[key];
    if (typeof child !== 'object' || child === null) continue;
    if (!isPlaceholderLike(child)) {
      pending.push(child);
      continue;
    }
    const value = attachmentFor(child, attachments);
    Object.defineProperty(source, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
}

function attachmentFor(placeholder: object, attachments: readonly Buffer[]): Buffer {
  const num: unknown = (placeholder as { num?: unknown }).num;
  // docs/internals/wire-protocol.md, "Binary attachments": `num` must be an integer in [0, N). The reference only checks the range,
  // so `num: 0.5` silently becomes undefined there; we refuse it.
  if (typeof num === 'number' && Number.isInteger(num) && num >= 0 && num < attachments.length) {
    return attachments[num];
  }
  throw new ProtocolError('illegal attachments');
}

/**
 * Socket.IO v5 packet decoder (docs/internals/wire-protocol.md, "Encoding and decoding" and "Binary attachments"): one per connection, fed every Engine.IO
 * message in order, hands out complete packets with their attachments in place.
 * @module
 */
import { WiregateError } from '../shared/errors';
import { restoreAttachments } from './binary';
import { type Packet, PacketType } from './packet';
import { ProtocolError } from './protocol-error';
import { isPayloadValid } from './validate';

export { ProtocolError } from './protocol-error';

/** Attachments one packet may announce; the reference decoder's default. */
export const DEFAULT_MAX_ATTACHMENTS = 10;
/** Total attachment bytes of one packet; the default `maxHttpBufferSize` (docs/internals/wire-protocol.md, "Size limit"). */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 1e6;

/** Limits of a {@link Decoder}, checked where data enters. */
export interface DecoderOptions {
  /** Most attachments one packet may announce (default 10, like the reference). */
  maxAttachments?: number;
  /** Most bytes all attachments of one packet may add up to (default 1e6). */
  maxAttachmentBytes?: number;
}

/** What {@link parseText} returns for a packet type that carries no attachments. */
const NOT_BINARY = -1;
const CODE_0 = 48;
const CODE_6 = 54;
const CODE_9 = 57;
const CODE_DASH = 45;
const CODE_SLASH = 47;
const EMPTY: readonly Buffer[] = [];

/**
 * Incremental decoder, one per connection. `add` takes each Engine.IO message payload (string for
 * text, Buffer for binary) and returns the completed packet, or null while it still waits for
 * attachments. BINARY_EVENT/BINARY_ACK come out as EVENT/ACK with Buffers in place of the
 * placeholders, as the reference decoder delivers them; a decoded packet always has all four keys.
 *
 * Limits (CVE-2026-33151 was unbounded attachments in the official parser): a header announcing
 * more than `maxAttachments`, or attachments adding up to more than `maxAttachmentBytes`, throw.
 *
 * @example
 * const decoder = new Decoder();
 * decoder.add('451-["upload",{"_placeholder":true,"num":0}]'); // null: waiting for 1 attachment
 * decoder.add(Buffer.from([1, 2]));  // { type: 2, nsp: '/', id: undefined, data: ['upload', <Buffer 01 02>] }
 * @throws ProtocolError (`WG_ERR_PROTOCOL`) from `add` on anything malformed; the decoder is then
 * reset. `add` never throws anything else.
 */
export class Decoder {
  private readonly maxAttachments: number;
  private readonly maxAttachmentBytes: number;
  /** The packet whose attachments are being collected, or null. */
  private pending: Packet | null;
  private readonly attachments: Buffer[];
  private expected: number;
  private bytes: number;

  /** @throws WiregateError `WG_ERR_INVALID_ARGUMENT` when a limit is not a non-negative number. */
  constructor(options: DecoderOptions = {}) {
    this.maxAttachments = checkLimit(
      'maxAttachments',
      options.maxAttachments,
      DEFAULT_MAX_ATTACHMENTS,
    );
    this.maxAttachmentBytes = checkLimit(
      'maxAttachmentBytes',
      options.maxAttachmentBytes,
      DEFAULT_MAX_ATTACHMENT_BYTES,
    );
    this.pending = null;
    this.attachments = [];
    this.expected = 0;
    this.bytes = 0;
  }

  /** Feeds one Engine.IO message; returns the completed packet or null while attachments are due. */
  add(chunk: string | Buffer): Packet | null {
    try {
      return typeof chunk === 'string' ? this.addText(chunk) : this.addBinary(chunk);
    } catch (err) {
      this.reset();
      throw asProtocolError(err);
    }
  }

  /** Drops a partly received binary packet (call when the connection closes). */
  reset(): void {
    this.pending = null;
    this.attachments.length = 0;
    this.expected = 0;
    this.bytes = 0;
  }

  private addText(text: string): Packet | null {
    if (this.pending !== null)
      throw new ProtocolError('got plaintext data when reconstructing a packet');
    const packet = createPacket();
    const attachments = parseText(text, this.maxAttachments, packet);
    if (attachments === NOT_BINARY) return packet;
    // docs/internals/wire-protocol.md, "Binary attachments": a header announcing 0 attachments is delivered at once (placeholders in
    // it are still checked, and all of them are then out of range).
    if (attachments === 0) {
      restoreAttachments(packet.data, EMPTY);
      return packet;
    }
    this.pending = packet;
    this.expected = attachments;
    return null;
  }

  private addBinary(chunk: Buffer): Packet | null {
    if (!Buffer.isBuffer(chunk)) throw new ProtocolError(`Unknown type: ${typeof chunk}`);
    const packet = this.pending;
    if (packet === null)
      throw new ProtocolError('got binary data when not reconstructing a packet');
    this.bytes += chunk.length;
    if (this.bytes > this.maxAttachmentBytes) throw new ProtocolError('attachments too large');
    this.attachments.push(chunk);
    if (this.attachments.length < this.expected) return null;
    restoreAttachments(packet.data, this.attachments);
    this.reset();
    return packet;
  }
}

/**
 * Decodes a packet that carries no attachments (tests, fuzzing, tools).
 *
 * @example
 * decodeText('2/admin,13["bar"]'); // { type: 2, nsp: '/admin', id: 13, data: ['bar'] }
 * @throws ProtocolError on anything malformed, and for a BINARY_EVENT/BINARY_ACK announcing
 * attachments (use a {@link Decoder} for those).
 */
export function decodeText(text: string): Packet {
  try {
    const packet = createPacket();
    const attachments = parseText(text, DEFAULT_MAX_ATTACHMENTS, packet);
    if (attachments > 0)
      throw new ProtocolError('packet announces attachments; decode it with a Decoder');
    if (attachments === 0) restoreAttachments(packet.data, EMPTY);
    return packet;
  } catch (err) {
    throw asProtocolError(err);
  }
}

/** Every decoded packet gets the same four keys in the same order: one hidden class. */
function createPacket(): Packet {
  return { type: PacketType.CONNECT, nsp: '/', id: undefined, data: undefined };
}

/** Anything unexpected (a bug, a stack overflow) still reaches the caller as a ProtocolError. */
function asProtocolError(err: unknown): ProtocolError {
  return err instanceof ProtocolError ? err : new ProtocolError('invalid payload', { cause: err });
}

function checkLimit(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && value >= 0) return value;
  throw new WiregateError(
    'WG_ERR_INVALID_ARGUMENT',
    `DecoderOptions.${name} must be a non-negative number`,
  );
}

/**
 * Fills `packet` from `text` following docs/internals/wire-protocol.md, "Encoding and decoding" step by step. Returns the announced
 * attachment count for types 5/6 (whose type becomes EVENT/ACK), NOT_BINARY otherwise.
 */
function parseText(text: string, maxAttachments: number, packet: Packet): number {
  const type = readType(text);
  let pos = 1;
  let attachments = NOT_BINARY;
  if (type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK) {
    const end = skipDigits(text, pos);
    attachments = readAttachmentCount(text, end, maxAttachments);
    pos = end + 1;
    packet.type = type === PacketType.BINARY_EVENT ? PacketType.EVENT : PacketType.ACK;
  } else {
    packet.type = type;
  }
  pos = readNamespace(text, pos, packet);
  pos = readAckId(text, pos, packet);
  if (pos < text.length) packet.data = parseJson(text.slice(pos));
  if (!isPayloadValid(type, packet.data)) throw new ProtocolError('invalid payload');
  return attachments;
}

/** Step 1. The message formats the character as the reference does (`Number(char)`). */
function readType(text: string): PacketType {
  const code = text.charCodeAt(0);
  if (code >= CODE_0 && code <= CODE_6) return (code - CODE_0) as PacketType;
  const shown = code > CODE_6 && code <= CODE_9 ? text[0] : 'NaN';
  throw new ProtocolError(`unknown packet type ${shown}`);
}

/** Step 2: `<digits>-` right after the type. Only ASCII digits count (the reference's `Number()` also takes ` 1`, `0x1`, `1e0`). */
function readAttachmentCount(text: string, end: number, maxAttachments: number): number {
  if (end === 1 || text.charCodeAt(end) !== CODE_DASH)
    throw new ProtocolError('Illegal attachments');
  const count = Number(text.slice(1, end));
  // More than ~308 digits is Infinity, which the reference calls illegal rather than too many.
  if (!Number.isFinite(count)) throw new ProtocolError('Illegal attachments');
  if (count > maxAttachments) throw new ProtocolError('too many attachments');
  return count;
}

/** Step 3: `/name` up to the next `,` (consumed) or the end of the text. */
function readNamespace(text: string, pos: number, packet: Packet): number {
  if (text.charCodeAt(pos) !== CODE_SLASH) return pos;
  const comma = text.indexOf(',', pos);
  const end = comma === -1 ? text.length : comma;
  packet.nsp = text.slice(pos, end);
  return comma === -1 ? end : end + 1;
}

/** Step 4: a run of ASCII digits. An id beyond 2^53-1 cannot round-trip, so it is refused. */
function readAckId(text: string, pos: number, packet: Packet): number {
  const end = skipDigits(text, pos);
  if (end === pos) return pos;
  const id = Number(text.slice(pos, end));
  if (!Number.isSafeInteger(id)) throw new ProtocolError('invalid payload');
  packet.id = id;
  return end;
}

function skipDigits(text: string, pos: number): number {
  let end = pos;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    if (code < CODE_0 || code > CODE_9) break;
    end++;
  }
  return end;
}

/** Step 5. V8's JSON.parse makes `"__proto__"` an own key, so parsing alone cannot pollute. */
function parseJson(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new ProtocolError('invalid payload');
  }
}

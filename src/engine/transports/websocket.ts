/**
 * The WebSocket transport: one Engine.IO packet per frame (docs/internals/wire-protocol.md, "WebSocket transport"), on `ws`.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import {
  decodeTextPacket,
  encodeForWebSocket,
  type EnginePacket,
  type EnginePacketType,
} from '../packet';
import { Transport } from './transport';

const kTransport = Symbol('wiregate.websocketTransport');

type OwnedWebSocket = WebSocket & { [kTransport]: WebSocketTransport };

const NO_COMPRESS = { compress: false } as const;
/** A text frame may be handed to `ws` as bytes (see `repeatedTextFrame`), so text is said explicitly. */
const TEXT = { binary: false } as const;
const TEXT_NO_COMPRESS = { binary: false, compress: false } as const;
const BINARY = { binary: true } as const;
/** `WebSocket.OPEN`. */
const OPEN = 1;

/**
 * Write coalescing (docs/benchmarks.md, "Coalesced writes"): the first frame a socket is sent
 * in a tick corks its TCP stream and the stream is uncorked once the tick's synchronous work
 * is done, so everything one client is sent within a tick (several broadcasts, an ack and an
 * event) leaves in one `writev` instead of one syscall per frame. One `nextTick` serves
 * every socket corked in the tick.
 */
const corkedThisTick: (WebSocketTransport | undefined)[] = [];
/**
 * Entries of `corkedThisTick` in use. The array keeps its capacity between ticks: emptying it
 * with `length = 0` let V8 drop its backing store, so a tick that wrote anything allocated a
 * new one (~150 B; at connection setup every write is a tick of its own).
 */
let corkedCount = 0;
let uncorkScheduled = false;

/**
 * A broadcast hands every recipient the same message string. The second time a tick sends
 * the same text, the whole WebSocket frame is built once (server frames are unmasked, so
 * every recipient gets the same bytes) and shared by the rest, instead of `ws` measuring,
 * encoding and framing the string once per recipient. Forgotten at the end of the tick, so
 * nothing is retained.
 */
let repeatedText: string | undefined;
let repeatedFrame: Buffer | undefined;
let repeatedPayload: Buffer | undefined;

/** The frame of a repeated text, or undefined the first time a tick sends it. */
function repeatedTextFrame(text: string): Buffer | undefined {
  if (text !== repeatedText) {
    repeatedText = text;
    repeatedFrame = repeatedPayload = undefined;
    return undefined;
  }
  if (repeatedFrame === undefined) {
    repeatedFrame = textFrame('4' + text);
    repeatedPayload = repeatedFrame.subarray(headerLength(repeatedFrame[1]));
  }
  return repeatedFrame;
}

/** RFC 6455 §5.2: FIN + text opcode, unmasked, then a 7-bit, 16-bit or 64-bit length. */
function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const lengthByte = length < 126 ? length : length < 65536 ? 126 : 127;
  const offset = headerLength(lengthByte);
  const frame = Buffer.allocUnsafe(offset + length);
  frame[0] = 0x81;
  frame[1] = lengthByte;
  if (lengthByte === 126) {
    frame.writeUInt16BE(length, 2);
  } else if (lengthByte === 127) {
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.write(text, offset, 'utf8');
  return frame;
}

/** Header size of an unmasked frame whose second byte is `lengthByte`. */
function headerLength(lengthByte: number): number {
  return lengthByte < 126 ? 2 : lengthByte === 126 ? 4 : 10;
}

function uncorkAll(): void {
  uncorkScheduled = false;
  repeatedText = undefined;
  repeatedFrame = repeatedPayload = undefined;
  // A transport corked while this runs (a write callback sending) is uncorked by this loop too.
  for (let i = 0; i < corkedCount; i++) {
    const transport = corkedThisTick[i]!;
    corkedThisTick[i] = undefined;
    transport.uncork();
  }
  corkedCount = 0;
}

/** Engine.IO over one `ws` WebSocket. */
export class WebSocketTransport extends Transport {
  readonly name = 'websocket' as const;
  private readonly socket: OwnedWebSocket;
  /** The TCP stream under the WebSocket (the upgraded request's socket), corked per tick. */
  private readonly stream: Duplex;
  /** No extension (permessage-deflate) was negotiated: a frame may be written as prebuilt bytes. */
  private readonly writesFramesItself: boolean;
  /** Whether this transport corked its stream in the current tick. */
  private corked = false;
  /**
   * Bytes held back by this tick's cork. They are not a backlog (they leave at the end of
   * the tick), so the slow-consumer and volatile checks do not count them.
   */
  private corkedBytes = 0;

  /**
   * @param streamCorked the engine corked the stream before `ws` wrote its 101 response, so
   *   that the response and the open packet leave in one write; this tick's uncork ends it.
   */
  constructor(socket: WebSocket, request: IncomingMessage, streamCorked = false) {
    super(request);
    this.socket = socket as OwnedWebSocket;
    this.stream = request.socket;
    this.writesFramesItself = socket.extensions === '';
    this.socket[kTransport] = this;
    this.writable = true;
    this.socket.on('message', socketOnMessage);
    this.socket.on('close', socketOnClose);
    this.socket.on('error', socketOnError);
    if (streamCorked) {
      // The 101 response waits in the cork too; it is not a backlog either.
      this.corkedBytes = this.stream.writableLength;
      this.holdUntilTickEnd();
    }
  }

  send(packets: EnginePacket[]): void {
    for (let i = 0; i < packets.length; i++) {
      const { type, data, compress, onSent } = packets[i];
      this.sendOne(type, data, compress, onSent);
    }
  }

  override sendOne(
    type: EnginePacketType,
    data?: string | Buffer,
    compress?: boolean,
    onSent?: () => void,
  ): void {
    if (type === 'message' && typeof data === 'string' && onSent === undefined) {
      this.cork();
      const before = this.stream.writableLength;
      const frame = repeatedTextFrame(data);
      if (frame !== undefined && this.writesFramesItself && this.socket.readyState === OPEN) {
        // Without extensions `ws` writes every frame synchronously, so writing the shared
        // frame straight to the stream keeps the order of everything sent on this socket.
        this.stream.write(frame);
        this.corkedBytes += frame.length;
        return;
      }
      this.socket.send(
        frame === undefined ? '4' + data : repeatedPayload!,
        compress === false ? TEXT_NO_COMPRESS : TEXT,
      );
      this.corkedBytes += this.stream.writableLength - before;
      return;
    }
    this.writeFrame(encodeForWebSocket(type, data), Buffer.isBuffer(data), compress, onSent);
  }

  /** Writes one whole Engine.IO packet as a text or binary frame (v3 transports frame their own). */
  protected writeFrame(frame: string | Buffer, binary: boolean, compress?: boolean, onSent?: () => void): void {
    this.cork();
    const before = this.stream.writableLength;
    const options = binary
      ? compress === false
        ? NO_COMPRESS
        : BINARY
      : compress === false
        ? TEXT_NO_COMPRESS
        : TEXT;
    if (onSent !== undefined) this.socket.send(frame, options, () => onSent());
    else this.socket.send(frame, options);
    this.corkedBytes += this.stream.writableLength - before;
  }

  override get bufferedAmount(): number {
    return Math.max(0, this.socket.bufferedAmount - this.corkedBytes);
  }

  private cork(): void {
    if (this.corked) return;
    this.stream.cork();
    this.holdUntilTickEnd();
  }

  /** Hands this tick's cork (made here, or by the engine for the opening) to the shared uncork. */
  private holdUntilTickEnd(): void {
    this.corked = true;
    corkedThisTick[corkedCount++] = this;
    if (!uncorkScheduled) {
      uncorkScheduled = true;
      process.nextTick(uncorkAll);
    }
  }

  /** @internal Ends this tick's cork: what it held back is written (or becomes a backlog). */
  uncork(): void {
    this.corked = false;
    this.corkedBytes = 0;
    this.stream.uncork();
  }

  /** docs/internals/wire-protocol.md, "WebSocket transport": the server ends the session with a close frame and no status code. */
  close(): void {
    this.discard();
  }

  discard(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.writable = false;
    this.socket.close();
  }

  /** @internal */
  onFrame(data: Buffer, isBinary: boolean): void {
    if (this.isClosed) return;
    if (isBinary) {
      this.reportPacket({ type: 'message', data } satisfies EnginePacket);
      return;
    }
    const packet = decodeTextPacket(data.toString());
    if (packet === null) this.reportError('parse error', new Error('invalid Engine.IO packet'));
    else this.reportPacket(packet);
  }

  /** @internal */
  onSocketClose(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.writable = false;
    this.reportClose();
  }

  /** @internal ws reports a broken or oversized frame (then closes with 1002/1009). */
  onSocketError(err: Error): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.writable = false;
    this.reportError('transport error', err);
  }
}

function socketOnMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
  (this as OwnedWebSocket)[kTransport].onFrame(data, isBinary);
}

function socketOnClose(this: WebSocket): void {
  (this as OwnedWebSocket)[kTransport].onSocketClose();
}

function socketOnError(this: WebSocket, err: Error): void {
  (this as OwnedWebSocket)[kTransport].onSocketError(err);
}

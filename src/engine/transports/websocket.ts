/**
 * The WebSocket transport: one Engine.IO packet per frame (protocol.md §2.7), on `ws`.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import {
  decodeTextPacket,
  encodeForWebSocket,
  encodePacketForWebSocket,
  type EnginePacket,
  type EnginePacketType,
} from '../packet';
import { Transport } from './transport';

const kTransport = Symbol('wiregate.websocketTransport');

type OwnedWebSocket = WebSocket & { [kTransport]: WebSocketTransport };

const NO_COMPRESS = { compress: false } as const;
/** A text frame may be handed to `ws` as bytes (see `messageFrame`), so text is said explicitly. */
const TEXT = { binary: false } as const;
const TEXT_NO_COMPRESS = { binary: false, compress: false } as const;

/**
 * Write coalescing (docs/benchmarks.md, "Coalesced writes"): the first frame a socket is sent
 * in a tick corks its TCP stream and the stream is uncorked once the tick's synchronous work
 * is done, so everything one client is sent within a tick (several broadcasts, an ack and an
 * event) leaves in one `writev` instead of one syscall per frame. One `nextTick` serves
 * every socket corked in the tick.
 */
const corkedThisTick: WebSocketTransport[] = [];
let uncorkScheduled = false;

/**
 * A broadcast hands every recipient the same message string. The second time a tick sends
 * the same text, its frame payload is encoded to bytes once and shared by the rest, instead
 * of `ws` measuring and encoding the string once per recipient. Forgotten at the end of the
 * tick, so nothing is retained.
 */
let repeatedText: string | undefined;
let repeatedFrame: Buffer | undefined;

function messageFrame(text: string): string | Buffer {
  if (text !== repeatedText) {
    repeatedText = text;
    repeatedFrame = undefined;
    return '4' + text;
  }
  return (repeatedFrame ??= Buffer.from('4' + text));
}

function uncorkAll(): void {
  uncorkScheduled = false;
  repeatedText = undefined;
  repeatedFrame = undefined;
  for (let i = 0; i < corkedThisTick.length; i++) corkedThisTick[i].uncork();
  corkedThisTick.length = 0;
}

/** Engine.IO over one `ws` WebSocket. */
export class WebSocketTransport extends Transport {
  readonly name = 'websocket' as const;
  private readonly socket: OwnedWebSocket;
  /** The TCP stream under the WebSocket (the upgraded request's socket), corked per tick. */
  private readonly stream: Duplex;
  /** Whether this transport corked its stream in the current tick. */
  private corked = false;
  /**
   * Bytes held back by this tick's cork. They are not a backlog (they leave at the end of
   * the tick), so the slow-consumer and volatile checks do not count them.
   */
  private corkedBytes = 0;

  constructor(socket: WebSocket, request: IncomingMessage) {
    super(request);
    this.socket = socket as OwnedWebSocket;
    this.stream = request.socket;
    this.socket[kTransport] = this;
    this.writable = true;
    this.socket.on('message', socketOnMessage);
    this.socket.on('close', socketOnClose);
    this.socket.on('error', socketOnError);
  }

  send(packets: EnginePacket[]): void {
    this.cork();
    const before = this.stream.writableLength;
    for (let i = 0; i < packets.length; i++) {
      const packet = packets[i];
      const frame = encodePacketForWebSocket(packet);
      const onSent = packet.onSent;
      if (onSent !== undefined)
        this.socket.send(frame, packet.compress === false ? NO_COMPRESS : {}, () => onSent());
      else if (packet.compress === false) this.socket.send(frame, NO_COMPRESS);
      else this.socket.send(frame);
    }
    this.corkedBytes += this.stream.writableLength - before;
  }

  override sendOne(
    type: EnginePacketType,
    data?: string | Buffer,
    compress?: boolean,
    onSent?: () => void,
  ): void {
    this.cork();
    const before = this.stream.writableLength;
    const isText = typeof data === 'string' || data === undefined;
    const frame =
      type === 'message' && typeof data === 'string'
        ? messageFrame(data)
        : encodeForWebSocket(type, data);
    const options = isText
      ? compress === false
        ? TEXT_NO_COMPRESS
        : TEXT
      : compress === false
        ? NO_COMPRESS
        : undefined;
    if (onSent !== undefined) this.socket.send(frame, options ?? {}, () => onSent());
    else if (options !== undefined) this.socket.send(frame, options);
    else this.socket.send(frame);
    this.corkedBytes += this.stream.writableLength - before;
  }

  override get bufferedAmount(): number {
    return Math.max(0, this.socket.bufferedAmount - this.corkedBytes);
  }

  private cork(): void {
    if (this.corked) return;
    this.corked = true;
    this.stream.cork();
    corkedThisTick.push(this);
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

  /** protocol.md §2.7: the server ends the session with a close frame and no status code. */
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

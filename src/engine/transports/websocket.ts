/**
 * The WebSocket transport: one Engine.IO packet per frame (protocol.md §2.7), on `ws`.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { decodeTextPacket, encodePacketForWebSocket, type EnginePacket } from '../packet';
import { Transport } from './transport';

const kTransport = Symbol('wiregate.websocketTransport');

type OwnedWebSocket = WebSocket & { [kTransport]: WebSocketTransport };

/** Engine.IO over one `ws` WebSocket. */
export class WebSocketTransport extends Transport {
  readonly name = 'websocket' as const;
  private readonly socket: OwnedWebSocket;

  constructor(socket: WebSocket, request: IncomingMessage) {
    super(request);
    this.socket = socket as OwnedWebSocket;
    this.socket[kTransport] = this;
    this.writable = true;
    this.socket.on('message', socketOnMessage);
    this.socket.on('close', socketOnClose);
    this.socket.on('error', socketOnError);
  }

  send(packets: EnginePacket[]): void {
    for (let i = 0; i < packets.length; i++) {
      this.socket.send(encodePacketForWebSocket(packets[i]));
    }
  }

  /** Sends an already-encoded frame (the same string or Buffer for many recipients). */
  sendFrame(frame: string | Buffer): void {
    this.socket.send(frame);
  }

  override get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  close(discard = false): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.writable = false;
    // protocol.md §2.7: the server ends the session with a close frame and no status code.
    if (discard) this.socket.terminate();
    else this.socket.close();
  }

  /** @internal */
  onFrame(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      this.emit('packet', { type: 'message', data } satisfies EnginePacket);
      return;
    }
    const packet = decodeTextPacket(data.toString());
    if (packet === null) this.emit('error', 'parse error', new Error('invalid Engine.IO packet'));
    else this.emit('packet', packet);
  }

  /** @internal */
  onSocketClose(code: number): void {
    const wasClosed = this.isClosed;
    this.isClosed = true;
    this.writable = false;
    if (wasClosed) {
      this.emit('close');
      return;
    }
    // ws closes with 1009 when a frame exceeds maxPayload (maxHttpBufferSize).
    if (code === 1009) this.emit('error', 'transport error', new Error('message too big'));
    else this.emit('close');
  }
}

function socketOnMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
  (this as OwnedWebSocket)[kTransport].onFrame(data, isBinary);
}

function socketOnClose(this: WebSocket, code: number): void {
  (this as OwnedWebSocket)[kTransport].onSocketClose(code);
}

function socketOnError(this: WebSocket, err: Error): void {
  const transport = (this as OwnedWebSocket)[kTransport];
  // ws emits 'close' after 'error'; report the error first so the reason is right.
  if (!transport.isClosed) {
    transport.isClosed = true;
    transport.writable = false;
    transport.emit('error', 'transport error', err);
  }
}

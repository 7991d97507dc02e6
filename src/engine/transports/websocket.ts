/**
 * The WebSocket transport: one Engine.IO packet per frame (protocol.md §2.7), on `ws`.
 * @module
 */
import type { IncomingMessage } from 'node:http';
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
      const packet = packets[i];
      const frame = encodePacketForWebSocket(packet);
      const onSent = packet.onSent;
      if (onSent !== undefined) this.socket.send(frame, packet.compress === false ? NO_COMPRESS : {}, () => onSent());
      else if (packet.compress === false) this.socket.send(frame, NO_COMPRESS);
      else this.socket.send(frame);
    }
  }

  override sendOne(type: EnginePacketType, data?: string | Buffer, compress?: boolean, onSent?: () => void): void {
    const frame = encodeForWebSocket(type, data);
    if (onSent !== undefined) this.socket.send(frame, compress === false ? NO_COMPRESS : {}, () => onSent());
    else if (compress === false) this.socket.send(frame, NO_COMPRESS);
    else this.socket.send(frame);
  }

  /** Sends an already-encoded frame (the same string or Buffer for many recipients). */
  sendFrame(frame: string | Buffer): void {
    this.socket.send(frame);
  }

  override get bufferedAmount(): number {
    return this.socket.bufferedAmount;
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
      this.emit('packet', { type: 'message', data } satisfies EnginePacket);
      return;
    }
    const packet = decodeTextPacket(data.toString());
    if (packet === null) this.emit('error', 'parse error', new Error('invalid Engine.IO packet'));
    else this.emit('packet', packet);
  }

  /** @internal */
  onSocketClose(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.writable = false;
    this.emit('close');
  }

  /** @internal ws reports a broken or oversized frame (then closes with 1002/1009). */
  onSocketError(err: Error): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.writable = false;
    this.emit('error', 'transport error', err);
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

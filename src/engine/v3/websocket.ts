/**
 * The WebSocket transport for Engine.IO v3 sessions (docs/internals/engine-io-v3.md): text
 * frames are the same as in v4; a binary frame carries the packet type as its first byte, and
 * a client that asked for base64 (`b64`) gets binary as `b4<base64>` text instead.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { EnginePacketType } from '../packet';
import { WebSocketTransport } from '../transports/websocket';
import {
  decodeBinaryPacketV3,
  decodeTextPacketV3,
  encodeBinaryFrameV3,
  encodeTextPacketV3,
} from './payload';

/** Engine.IO v3 over one `ws` WebSocket. */
export class WebSocketTransportV3 extends WebSocketTransport {
  constructor(
    socket: WebSocket,
    request: IncomingMessage,
    /** Whether the client takes binary frames (no `b64` in its handshake query). */
    private readonly supportsBinary: boolean,
    streamCorked = false,
  ) {
    super(socket, request, streamCorked);
  }

  override sendOne(
    type: EnginePacketType,
    data?: string | Buffer,
    compress?: boolean,
    onSent?: () => void,
  ): void {
    if (!Buffer.isBuffer(data)) return super.sendOne(type, data, compress, onSent);
    if (this.supportsBinary)
      this.writeFrame(encodeBinaryFrameV3(type, data), true, compress, onSent);
    else this.writeFrame(encodeTextPacketV3({ type, data }), false, compress, onSent);
  }

  override onFrame(data: Buffer, isBinary: boolean): void {
    if (this.isClosed) return;
    const packet = isBinary ? decodeBinaryPacketV3(data) : decodeTextPacketV3(data.toString());
    if (packet === null) this.reportError('parse error', new Error('invalid Engine.IO packet'));
    else this.reportPacket(packet);
  }
}

/**
 * HTTP long-polling for Engine.IO v3 sessions (docs/internals/engine-io-v3.md): the same
 * requests as v4, with v3 payload framing (`<length>:<packet>`, or a binary payload for
 * clients that take binary) and binary POST bodies.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { EnginePacket } from '../packet';
import { PollingTransport, type PollingSettings } from '../transports/polling';
import { decodePayloadV3, encodePayloadV3 } from './payload';

const TEXT_TYPE = 'text/plain; charset=UTF-8';
const BINARY_TYPE = 'application/octet-stream';

/** Long-polling for one v3 session. */
export class PollingTransportV3 extends PollingTransport {
  /** Whether the client takes binary payloads: it asks for base64 with `b64` in its handshake query. */
  private readonly supportsBinary: boolean;
  private lastBodyIsBinary = false;

  constructor(request: IncomingMessage, settings: PollingSettings, supportsBinary: boolean) {
    super(request, settings);
    this.supportsBinary = supportsBinary;
  }

  protected override encodeBody(packets: EnginePacket[]): Buffer {
    const payload = encodePayloadV3(packets, this.supportsBinary);
    this.lastBodyIsBinary = typeof payload !== 'string';
    return typeof payload === 'string' ? Buffer.from(payload) : payload;
  }

  protected override bodyContentType(): string {
    return this.lastBodyIsBinary ? BINARY_TYPE : TEXT_TYPE;
  }

  protected override decodeBody(body: Buffer, isBinary: boolean): EnginePacket[] | null {
    return decodePayloadV3(body, isBinary);
  }

  protected override acceptsBinaryBody(): boolean {
    return true;
  }
}

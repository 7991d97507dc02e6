/**
 * HTTP long-polling transport (protocol.md §2.6): GET receives (held until there is
 * something to send), POST sends; payloads are packets joined by the record separator.
 * @module
 */
import type { IncomingMessage, ServerResponse, OutgoingHttpHeaders } from 'node:http';
import { decodePayload, encodePayload, type EnginePacket } from '../packet';
import { Transport } from './transport';

/** Settings the polling transport takes from the engine. */
export interface PollingSettings {
  maxHttpBufferSize: number;
  /** Adds headers common to every response (CORS, `headers` event). */
  decorateHeaders: (headers: OutgoingHttpHeaders, req: IncomingMessage) => void;
}

/** Engine.IO over a sequence of HTTP requests. */
export class PollingTransport extends Transport {
  readonly name = 'polling' as const;
  private pendingGet: { req: IncomingMessage; res: ServerResponse } | null = null;
  private isReadingPost = false;
  private shouldCloseOnNextGet = false;

  constructor(
    request: IncomingMessage,
    private readonly settings: PollingSettings,
  ) {
    super(request);
  }

  override get hasPendingReceive(): boolean {
    return this.pendingGet !== null;
  }

  /** Handles one HTTP request of this session (GET or POST). */
  onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'GET') this.onGet(req, res);
    else if (req.method === 'POST') this.onPost(req, res);
    else {
      res.writeHead(500);
      res.end();
    }
  }

  send(packets: EnginePacket[]): void {
    const pending = this.pendingGet;
    if (pending === null) return;
    this.pendingGet = null;
    this.writable = false;
    const hasClose = packets.some((p) => p.type === 'close');
    this.respond(pending.req, pending.res, 200, encodePayload(packets), 'text/plain; charset=UTF-8');
    if (hasClose) this.finishClose();
  }

  override releaseForUpgrade(): void {
    this.send([{ type: 'noop' }]);
  }

  close(discard = false): void {
    if (this.isClosed) return;
    if (discard || this.pendingGet !== null) {
      if (this.pendingGet !== null) this.send([{ type: 'close' }]);
      this.finishClose();
      return;
    }
    // protocol.md §2.10: without a held GET, the next GET gets `6\x1e1`.
    this.shouldCloseOnNextGet = true;
    this.writable = false;
  }

  private finishClose(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.writable = false;
  }

  private onGet(req: IncomingMessage, res: ServerResponse): void {
    if (this.pendingGet !== null) {
      // protocol.md §2.6: overlapping GETs end the session as a transport error.
      this.respond(req, res, 400, '', 'text/plain; charset=UTF-8');
      this.send([{ type: 'close' }]);
      this.finishClose();
      this.emit('error', 'transport error', new Error('overlapping GET requests'));
      return;
    }
    if (this.shouldCloseOnNextGet) {
      this.respond(req, res, 200, encodePayload([{ type: 'noop' }, { type: 'close' }]), 'text/plain; charset=UTF-8');
      this.finishClose();
      this.emit('close');
      return;
    }
    this.pendingGet = { req, res };
    req.once('close', () => {
      if (this.pendingGet?.req === req && !res.writableEnded) {
        this.pendingGet = null;
        this.writable = false;
        this.emit('error', 'transport error', new Error('poll connection closed prematurely'));
      }
    });
    this.writable = true;
    this.emit('drain');
  }

  private onPost(req: IncomingMessage, res: ServerResponse): void {
    if (this.isReadingPost) {
      this.respond(req, res, 400, '', 'text/html');
      this.emit('error', 'transport error', new Error('overlapping POST requests'));
      return;
    }
    if (req.headers['content-type'] === 'application/octet-stream') {
      this.respond(req, res, 400, '', 'text/html');
      this.emit('error', 'transport error', new Error('binary POST bodies are not supported'));
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (declared > this.settings.maxHttpBufferSize) {
      this.rejectTooLarge(req, res);
      return;
    }
    this.isReadingPost = true;
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.settings.maxHttpBufferSize) {
        cleanup();
        this.isReadingPost = false;
        this.rejectTooLarge(req, res);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      this.isReadingPost = false;
      this.onPostBody(req, res, Buffer.concat(chunks, size).toString());
    };
    const onAbort = () => {
      cleanup();
      this.isReadingPost = false;
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onAbort);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onAbort);
  }

  private onPostBody(req: IncomingMessage, res: ServerResponse, body: string): void {
    const packets = decodePayload(body);
    if (packets === null) {
      this.respond(req, res, 400, '', 'text/html');
      this.emit('error', 'parse error', new Error('invalid payload'));
      return;
    }
    this.respond(req, res, 200, 'ok', 'text/html');
    for (const packet of packets) {
      if (this.isClosed) break;
      this.emit('packet', packet);
    }
  }

  private rejectTooLarge(req: IncomingMessage, res: ServerResponse): void {
    this.respond(req, res, 413, '', 'text/html');
    req.resume();
  }

  private respond(req: IncomingMessage, res: ServerResponse, status: number, body: string, type: string): void {
    if (res.headersSent) return;
    const headers: OutgoingHttpHeaders = {
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
    };
    this.settings.decorateHeaders(headers, req);
    res.writeHead(status, headers);
    res.end(body);
  }
}

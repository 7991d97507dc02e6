/**
 * HTTP long-polling transport (docs/internals/wire-protocol.md, "Long-polling"): GET receives (held until there is
 * something to send), POST sends; payloads are packets joined by the record separator.
 * @module
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { compressBody, negotiateEncoding, type ContentEncoding } from '../compression';
import { decodePayload, encodePayload, type EnginePacket } from '../packet';
import { Transport } from './transport';

/** Settings the polling transport takes from the engine. */
export interface PollingSettings {
  maxHttpBufferSize: number;
  /** ms a closed session's transport waits for the client's next GET (see `close`). */
  lingerTimeout: number;
  httpCompression: false | { threshold: number };
  /** Emits the engine's `headers` event for one response. */
  decorateHeaders: (headers: OutgoingHttpHeaders, req: IncomingMessage) => void;
}

const kPoll = Symbol('wiregate.pollingTransport');
type OwnedResponse = ServerResponse & { [kPoll]?: PollingTransport };

const PAYLOAD_TYPE = 'text/plain; charset=UTF-8';
const OK_TYPE = 'text/html';
const POLL_ENCODINGS: readonly ContentEncoding[] = ['gzip', 'deflate'];
const NOOP: EnginePacket[] = [{ type: 'noop' }];
const CLOSE: EnginePacket[] = [{ type: 'close' }];
const NOOP_THEN_CLOSE: EnginePacket[] = [{ type: 'noop' }, { type: 'close' }];

/** Engine.IO over a sequence of HTTP requests. */
export class PollingTransport extends Transport {
  readonly name = 'polling' as const;
  /** Headers for the opening response only (cookie, `initial_headers`); set by the engine. */
  openingHeaders: OutgoingHttpHeaders | null = null;
  private pendingGet: ServerResponse | null = null;
  private pendingGetReq: IncomingMessage | null = null;
  private isReadingPost = false;
  /**
   * After a graceful close without a held GET the transport lingers: the session is gone,
   * but the client's next GETs still get the leftover packets, then `6\x1e1`.
   */
  private leftovers: EnginePacket[] | null = null;
  private lingerTimer: NodeJS.Timeout | null = null;
  /** Runs once lingering ends (the engine forgets the sid). */
  onLingerEnd: (() => void) | null = null;

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
      // docs/internals/wire-protocol.md, "Request checks and refusals": a known sid with another method gets 500 and no body.
      res.writeHead(500);
      res.end();
    }
  }

  send(packets: EnginePacket[]): void {
    const res = this.pendingGet;
    if (res === null) return;
    const req = this.pendingGetReq!;
    this.pendingGet = null;
    this.pendingGetReq = null;
    this.writable = false;
    this.respondPayload(req, res, packets);
  }

  override releaseForUpgrade(): void {
    this.send(NOOP);
  }

  close(discard: boolean, leftovers: EnginePacket[] = []): void {
    if (this.isClosed) return;
    if (this.pendingGet !== null || discard) {
      this.send(CLOSE);
      this.markClosed();
      return;
    }
    // docs/internals/wire-protocol.md, "Closing a session": without a held GET, the client learns it on its next GET (`6\x1e1`).
    this.writable = false;
    this.leftovers = leftovers;
    this.lingerTimer = setTimeout(pollingOnLingerTimeout, this.settings.lingerTimeout, this);
  }

  /** Whether the session is gone but the client has not been told yet. */
  override get isLingering(): boolean {
    return this.leftovers !== null;
  }

  discard(): void {
    if (this.isClosed) return;
    this.send(NOOP);
    this.markClosed();
  }

  /** @internal */
  markClosed(): void {
    this.isClosed = true;
    this.writable = false;
    if (this.leftovers === null) return;
    this.leftovers = null;
    if (this.lingerTimer !== null) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    const onEnd = this.onLingerEnd;
    this.onLingerEnd = null;
    onEnd?.();
  }

  private onGet(req: IncomingMessage, res: ServerResponse): void {
    if (this.isClosed) return this.respondText(req, res, 400, '', PAYLOAD_TYPE);
    if (this.pendingGet !== null) return this.onOverlappingGet(req, res);
    const leftovers = this.leftovers;
    if (leftovers !== null) {
      if (leftovers.length > 0) {
        this.leftovers = [];
        return this.respondPayload(req, res, leftovers);
      }
      this.respondPayload(req, res, NOOP_THEN_CLOSE);
      return this.markClosed();
    }
    this.pendingGet = res;
    this.pendingGetReq = req;
    (res as OwnedResponse)[kPoll] = this;
    res.once('close', pollResponseOnClose);
    this.writable = true;
    this.reportDrain();
  }

  /** docs/internals/wire-protocol.md, "Long-polling": a second GET ends the session as a transport error. */
  private onOverlappingGet(req: IncomingMessage, res: ServerResponse): void {
    this.respondText(req, res, 400, '', PAYLOAD_TYPE);
    this.fail('transport error', 'overlapping GET requests');
  }

  /** Ends the transport on a client error: a held GET is answered `1` before the session hears of it. */
  private fail(reason: 'transport error' | 'parse error', why: string): void {
    if (this.isClosed) return;
    this.send(CLOSE);
    this.markClosed();
    this.reportError(reason, new Error(why));
  }

  /** @internal The client went away before its held GET was answered. */
  onPendingGetAborted(res: ServerResponse): void {
    if (this.pendingGet !== res) return;
    this.pendingGet = null;
    this.pendingGetReq = null;
    if (this.isClosed) return;
    this.markClosed();
    this.reportError('transport error', new Error('poll connection closed prematurely'));
  }

  /** The response body for `packets` (v4: the text payload; engine/v3/polling.ts differs). */
  protected encodeBody(packets: EnginePacket[]): Buffer {
    return Buffer.from(encodePayload(packets));
  }

  /** The `Content-Type` of the body `encodeBody` just made. */
  protected bodyContentType(): string {
    return PAYLOAD_TYPE;
  }

  /** Decodes a POST body; null when it is malformed. Binary bodies only reach a v3 transport. */
  protected decodeBody(body: Buffer, _isBinary: boolean): EnginePacket[] | null {
    return decodePayload(body.toString());
  }

  /** Whether binary (`application/octet-stream`) POST bodies are allowed: not in Engine.IO v4. */
  protected acceptsBinaryBody(): boolean {
    return false;
  }

  private onPost(req: IncomingMessage, res: ServerResponse): void {
    if (this.isReadingPost) return this.failPost(req, res, 'overlapping POST requests');
    const isBinary = req.headers['content-type'] === 'application/octet-stream';
    if (isBinary && !this.acceptsBinaryBody()) {
      return this.failPost(req, res, 'binary POST bodies are not supported in Engine.IO v4');
    }
    const declared = Number(req.headers['content-length']);
    if (declared > this.settings.maxHttpBufferSize) return this.rejectTooLarge(req, res);
    this.isReadingPost = true;
    readBody(req, this.settings.maxHttpBufferSize, (outcome, body) => {
      this.isReadingPost = false;
      if (outcome === 'too large') this.rejectTooLarge(req, res);
      else if (outcome === 'ok') this.onPostBody(req, res, body!, isBinary);
    });
  }

  private failPost(req: IncomingMessage, res: ServerResponse, why: string): void {
    this.respondText(req, res, 400, '', OK_TYPE);
    this.fail('transport error', why);
  }

  private onPostBody(req: IncomingMessage, res: ServerResponse, body: Buffer, isBinary: boolean): void {
    const packets = this.decodeBody(body, isBinary);
    if (packets === null) {
      this.respondText(req, res, 400, '', OK_TYPE);
      this.fail('parse error', 'invalid payload');
      return;
    }
    this.respondText(req, res, 200, 'ok', OK_TYPE);
    if (this.leftovers !== null) {
      // Lingering: the session is gone; a `1` means the client left and needs no `6\x1e1`.
      if (packets.some((p) => p.type === 'close')) this.markClosed();
      return;
    }
    for (let i = 0; i < packets.length && !this.isClosed; i++) this.reportPacket(packets[i]);
  }

  /** docs/internals/wire-protocol.md, "Long-polling": 413, the data is dropped, the session stays open. */
  private rejectTooLarge(req: IncomingMessage, res: ServerResponse): void {
    this.respondText(req, res, 413, '', OK_TYPE);
    drainBounded(req, this.settings.maxHttpBufferSize);
  }

  private respondPayload(req: IncomingMessage, res: ServerResponse, packets: EnginePacket[]): void {
    if (packets.some(hasSentCallback)) res.once('finish', () => runSentCallbacks(packets));
    const body = this.encodeBody(packets);
    const type = this.bodyContentType();
    const compression = this.settings.httpCompression;
    const encoding =
      compression !== false && body.length >= compression.threshold
        ? negotiateEncoding(req.headers['accept-encoding'], POLL_ENCODINGS)
        : null;
    if (encoding === null) return writeResponse(res, 200, this.takeHeaders(req, type), body);
    // The session state is already settled: only the bytes are late.
    const headers = this.takeHeaders(req, type);
    compressBody(body, encoding, (err, out) => {
      if (err) writeResponse(res, 200, headers, body);
      else writeResponse(res, 200, { ...headers, 'Content-Encoding': encoding }, out);
    });
  }

  private respondText(req: IncomingMessage, res: ServerResponse, status: number, text: string, type: string): void {
    writeResponse(res, status, this.takeHeaders(req, type), Buffer.from(text));
  }

  private takeHeaders(req: IncomingMessage, type: string): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = { 'Content-Type': type, 'Cache-Control': 'no-store' };
    if (this.openingHeaders !== null) {
      Object.assign(headers, this.openingHeaders);
      this.openingHeaders = null;
    }
    this.settings.decorateHeaders(headers, req);
    return headers;
  }
}

function hasSentCallback(packet: EnginePacket): boolean {
  return packet.onSent !== undefined;
}

function runSentCallbacks(packets: EnginePacket[]): void {
  for (const packet of packets) packet.onSent?.();
}

function pollingOnLingerTimeout(transport: PollingTransport): void {
  transport.markClosed();
}

function writeResponse(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body: Buffer): void {
  if (res.headersSent || res.destroyed) return;
  headers['Content-Length'] = body.length;
  res.writeHead(status, headers);
  res.end(body);
}

function pollResponseOnClose(this: ServerResponse): void {
  const transport = (this as OwnedResponse)[kPoll];
  (this as OwnedResponse)[kPoll] = undefined;
  // 'close' also follows a normal end; only an unanswered GET is an abort.
  if (transport !== undefined && !this.writableEnded) transport.onPendingGetAborted(this);
}

type BodyOutcome = 'ok' | 'too large' | 'aborted';

/** Reads a request body up to `limit` bytes (checked as each chunk enters). */
function readBody(req: IncomingMessage, limit: number, done: (outcome: BodyOutcome, body?: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const finish = (outcome: BodyOutcome, body?: Buffer) => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('close', onClose);
    done(outcome, body);
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) finish('too large');
    else chunks.push(chunk);
  };
  const onEnd = () => finish('ok', Buffer.concat(chunks, size));
  const onClose = () => finish('aborted');
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('close', onClose);
}

/** Discards the rest of a refused body so the 413 can be read, but never more than `limit` bytes. */
function drainBounded(req: IncomingMessage, limit: number): void {
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > limit) req.socket.destroy();
  });
  req.resume();
}

/**
 * A bench client: a raw `ws` connection that speaks Engine.IO v4 / Socket.IO v5 by hand
 * (or NestJS's ws JSON dialect), with no parsing on the hot path beyond the first bytes.
 * @module
 */
import { WebSocket, type RawData } from 'ws';
import { TOKEN } from '../lib/fixtures';
import type { Target } from '../lib/messages';

/** What a job does when a client's frames arrive. One object per job, not per client. */
export interface ClientHandler {
  connected(client: BenchClient): void;
  reply(client: BenchClient, data: Buffer): void;
  delivery(client: BenchClient): void;
  failed(client: BenchClient, reason: string): void;
}

const SIO_CONNECT = Buffer.from(`40{"token":"${TOKEN}"}`);
const PONG = Buffer.from('3');
const TEXT = { binary: false } as const;

export class BenchClient {
  readonly ws: WebSocket;
  isConnected = false;
  isDone = false;
  /** performance.now() of the request in flight (echo) or of the connect (setup). */
  sentAt = 0;
  /** Replies seen, so a job can check the first one. */
  replies = 0;

  constructor(
    target: Target,
    localAddress: string,
    readonly handler: ClientHandler,
  ) {
    const url =
      target.dialect === 'sio'
        ? `ws://127.0.0.1:${target.port}${target.path}?EIO=4&transport=websocket`
        : `ws://127.0.0.1:${target.port}${target.path}?token=${TOKEN}`;
    this.sentAt = performance.now();
    this.ws = new WebSocket(url, {
      perMessageDeflate: false,
      localAddress,
      handshakeTimeout: 20_000,
    });
    (this.ws as WebSocketWithClient).client = this;
    this.ws.on('message', target.dialect === 'sio' ? sioOnMessage : nestWsOnMessage);
    this.ws.on('error', wsOnError);
    this.ws.on('close', wsOnClose);
    if (target.dialect === 'nest-ws') this.ws.on('open', nestWsOnOpen);
  }

  send(frame: Buffer): void {
    this.ws.send(frame, TEXT);
  }

  close(): void {
    this.isDone = true;
    this.ws.terminate();
  }

  markConnected(): void {
    if (this.isConnected) return;
    this.isConnected = true;
    this.handler.connected(this);
  }

  fail(reason: string): void {
    if (this.isDone) return;
    this.isDone = true;
    this.handler.failed(this, reason);
  }
}

type WebSocketWithClient = WebSocket & { client: BenchClient };

// Engine.IO packet type is the first byte; Socket.IO packet type the second (docs/internals/wire-protocol.md, "Engine.IO packets" and "Packet types").
function sioOnMessage(this: WebSocket, data: RawData): void {
  const buf = data as Buffer;
  const client = (this as WebSocketWithClient).client;
  switch (buf[0]) {
    case 0x32: // '2' ping
      this.send(PONG, TEXT);
      return;
    case 0x30: // '0' open
      this.send(SIO_CONNECT, TEXT);
      return;
    case 0x34: // '4' message
      switch (buf[1]) {
        case 0x32: // EVENT
          client.handler.delivery(client);
          return;
        case 0x33: // ACK
          client.replies++;
          client.handler.reply(client, buf);
          return;
        case 0x30: // CONNECT
          client.markConnected();
          return;
        case 0x34: // CONNECT_ERROR
          client.fail(`connect_error ${buf.toString()}`);
          return;
      }
      return;
    case 0x31: // '1' close
      client.fail('engine close');
  }
}

const NEST_DELIVERY = Buffer.from('{"event":"m"');

function nestWsOnMessage(this: WebSocket, data: RawData): void {
  const buf = data as Buffer;
  const client = (this as WebSocketWithClient).client;
  if (
    buf.length > NEST_DELIVERY.length &&
    buf.compare(NEST_DELIVERY, 0, NEST_DELIVERY.length, 0, NEST_DELIVERY.length) === 0
  ) {
    client.handler.delivery(client);
    return;
  }
  client.replies++;
  client.handler.reply(client, buf);
}

function nestWsOnOpen(this: WebSocket): void {
  (this as WebSocketWithClient).client.markConnected();
}

function wsOnError(this: WebSocket, err: Error): void {
  (this as WebSocketWithClient).client.fail(err.message);
}

function wsOnClose(this: WebSocket): void {
  (this as WebSocketWithClient).client.fail('closed');
}

/** Frames a client sends, encoded once per job. */
export function frame(
  target: Target,
  event: string,
  body: string | undefined,
  ackId?: number,
): Buffer {
  if (target.dialect === 'nest-ws')
    return Buffer.from(`{"event":"${event}","data":${body ?? 'null'}}`);
  return Buffer.from(`42${ackId ?? ''}["${event}"${body === undefined ? '' : ',' + body}]`);
}

/** The reply's payload as JSON text (for checking the first reply of a client). */
export function replyBody(target: Target, data: Buffer): unknown {
  const s = data.toString();
  if (target.dialect === 'nest-ws') return (JSON.parse(s) as { data: unknown }).data;
  return (JSON.parse(s.slice(s.indexOf('['))) as unknown[])[0];
}

/** Spreads connections over 127.0.0.1-16 so loopback's ephemeral ports never run out. */
export function localAddressFor(i: number): string {
  return `127.0.0.${1 + (i % 16)}`;
}

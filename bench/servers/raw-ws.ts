/**
 * The floor: a `ws` server that speaks just enough Engine.IO/Socket.IO by hand for the
 * same load generator (open, CONNECT, acked events, one room as a Set). One JSON.parse per
 * event and one JSON.stringify per reply, as any JSON-over-WebSocket server pays.
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as wsModule from 'ws';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import {
  BROADCAST_EVENT,
  DELIVERY_EVENT,
  ECHO_EVENT,
  JOIN_EVENT,
  PING_INTERVAL_MS,
  PING_TIMEOUT_MS,
} from '../lib/fixtures';
import { serve, versionOf } from './harness';

const room = new Set<WebSocket>();
const ids = new WeakMap<WebSocket, string>();
let nextId = 0;

function onMessage(this: WebSocket, data: RawData): void {
  const s = data.toString();
  if (s === '3') return; // pong
  if (s.startsWith('40')) {
    this.send(`40{"sid":"${ids.get(this)}"}`);
    return;
  }
  if (!s.startsWith('42')) return;
  const bracket = s.indexOf('[');
  const ackId = s.slice(2, bracket);
  const args = JSON.parse(s.slice(bracket)) as unknown[];
  switch (args[0]) {
    case ECHO_EVENT:
      this.send(`43${ackId}${JSON.stringify([args[1]])}`);
      return;
    case JOIN_EVENT:
      room.add(this);
      this.send(`43${ackId}[true]`);
      return;
    case BROADCAST_EVENT: {
      // Encode once, write the same bytes to every member.
      const frame = Buffer.from(`42${JSON.stringify([DELIVERY_EVENT, args[1]])}`);
      if (PREFRAMED) writePreframed(frame);
      else for (const member of room) member.send(frame, { binary: false });
    }
  }
}

/**
 * BENCH_RAW_PREFRAMED=1 (an experiment for docs/benchmarks.md, not in the table): build the
 * whole WebSocket frame once (server frames are unmasked, so every recipient gets the same
 * bytes) and write it with one `write` per recipient, instead of `ws.send`, which frames
 * per recipient and writes header and payload as two buffers (a `writev`). Goes through
 * ws's private `_socket` and skips ws's send queue: fine for this measurement only.
 */
const PREFRAMED = process.env.BENCH_RAW_PREFRAMED === '1';

// ws exports Sender at runtime; @types/ws does not declare it.
const { Sender } = wsModule as unknown as {
  Sender: { frame(data: Buffer, opts: object): Buffer[] };
};

function writePreframed(payload: Buffer): void {
  const parts = Sender.frame(payload, {
    fin: true,
    opcode: 1,
    mask: false,
    readOnly: true,
    rsv1: false,
  });
  const frame = Buffer.concat(parts);
  for (const member of room)
    (member as unknown as { _socket: { write(b: Buffer): boolean } })._socket.write(frame);
}

function onClose(this: WebSocket): void {
  room.delete(this);
}

serve(async () => {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (ws) => {
    const sid = (nextId++).toString(36);
    ids.set(ws, sid);
    ws.on('message', onMessage);
    ws.on('close', onClose);
    ws.send(
      `0{"sid":"${sid}","upgrades":[],"pingInterval":${PING_INTERVAL_MS},"pingTimeout":${PING_TIMEOUT_MS},"maxPayload":1000000}`,
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    port: (http.address() as AddressInfo).port,
    path: '/socket.io/',
    dialect: 'sio',
    version: `ws ${versionOf('ws')}`,
    clients: () => wss.clients.size,
  };
});

// What a client sees when it sends more than maxHttpBufferSize (issue 16, item 7): the
// official client's `disconnect` details carry the reason the server gave — WebSocket close
// code 1009 (message too big), or HTTP 413 for a polling POST — so an app can tell the user
// why, instead of a bare `transport close` / `transport error`. Compared with socket.io 4.8.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketIoServer } from 'socket.io';
import { io as connectClient } from 'socket.io-client';
import { Server } from '../../src/server';

interface Seen {
  reason: string;
  /** The close code (WebSocket) or HTTP status (polling) the client's details carry. */
  detail: unknown;
}

type AnyServer = { close(): Promise<void> | void };

async function sendTooMuch(
  make: (http: ReturnType<typeof createServer>) => AnyServer,
  transport: 'websocket' | 'polling',
): Promise<Seen> {
  const http = createServer();
  const server = make(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const client = connectClient(url, {
    transports: [transport],
    reconnection: false,
    forceNew: true,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('connect_error', reject);
    });
    const seen = new Promise<Seen>((resolve) => {
      client.once('disconnect', (reason, details) => {
        const d = details as { description?: unknown; context?: { code?: unknown } } | undefined;
        resolve({ reason, detail: transport === 'websocket' ? d?.context?.code : d?.description });
      });
    });
    client.emit('big', 'x'.repeat(2000));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Seen>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no disconnect within 10 s')), 10_000);
    });
    try {
      return await Promise.race([seen, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    client.close();
    await server.close();
    http.closeAllConnections();
  }
}

describe.each(['websocket', 'polling'] as const)('an oversized message over %s', (transport) => {
  const expected =
    transport === 'websocket'
      ? { reason: 'transport close', detail: 1009 }
      : { reason: 'transport error', detail: 413 };

  it('reaches the client as a reason it can read, as with socket.io 4.8', async () => {
    const wiregate = await sendTooMuch(
      (http) => new Server(http, { maxHttpBufferSize: 1000 }),
      transport,
    );
    const socketIo = await sendTooMuch(
      (http) => new SocketIoServer(http, { maxHttpBufferSize: 1000 }) as unknown as AnyServer,
      transport,
    );
    expect(wiregate).toEqual(expected);
    expect(wiregate).toEqual(socketIo);
  });
});

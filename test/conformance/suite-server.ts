// The server the official Socket.IO v5 protocol suite expects (docs/internals/wire-protocol.md, "Conformance suites"):
// heartbeat 300/200 ms, connectTimeout 1000 ms, CORS *, `auth` echoed on connection to `/`
// and `/custom`, `message` echoed as `message-back`, `message-with-ack` acked with its args.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '../../src/server';

export interface SuiteServer {
  io: Server;
  httpServer: HttpServer;
  url: string;
  wsUrl: string;
  close(): Promise<void>;
}

export async function startSuiteServer(): Promise<SuiteServer> {
  const httpServer = createServer();
  const io = new Server(httpServer, {
    pingInterval: 300,
    pingTimeout: 200,
    maxHttpBufferSize: 1e6,
    connectTimeout: 1000,
    cors: { origin: '*' },
  });
  io.on('connection', (socket) => {
    socket.emit('auth', socket.handshake.auth);
    socket.on('message', (...args: unknown[]) => socket.emit('message-back', ...args));
    socket.on('message-with-ack', (...args: unknown[]) => {
      const ack = args.pop() as (...reply: unknown[]) => void;
      ack(...args);
    });
  });
  io.of('/custom').on('connection', (socket) => socket.emit('auth', socket.handshake.auth));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    io,
    httpServer,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    close: () => io.close(),
  };
}

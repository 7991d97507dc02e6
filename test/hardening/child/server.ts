// A server in a child process for shutdown.test.ts: faulty listeners, rooms, pending acks
// under timeout, and a SIGTERM handler that closes the server and does NOT call
// process.exit(): the process must end on its own, which it only does when nothing of
// ours (socket, timer, request) is left.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from '../../../src/server';

const faults: string[] = [];
process.on('unhandledRejection', (reason) => faults.push(`unhandledRejection: ${String(reason)}`));
process.on('uncaughtException', (err) => faults.push(`uncaughtException: ${String(err)}`));

const http = createServer();
const io = new Server(http, { serveClient: false });
io.on('connection', (socket: Socket) => {
  void socket.join('everyone');
  socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value));
  socket.on('throw', () => {
    throw new Error('listener failed');
  });
  socket.on('reject', async () => {
    throw new Error('async listener failed');
  });
  // A question the client never answers: its timer must not outlive the socket.
  socket.timeout(60_000).emit('question', () => undefined);
});

function report(line: object): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

http.listen(0, '127.0.0.1', () => report({ port: (http.address() as AddressInfo).port }));
process.once('SIGTERM', () => {
  io.close().then(
    () => report({ closed: true, faults }),
    (err: unknown) => report({ closed: false, faults: [...faults, String(err)] }),
  );
});

// Graceful shutdown in a real Node process (no jest in between): a server whose listeners
// throw and reject keeps serving, and on SIGTERM `io.close()` lets the process exit by
// itself - no leftover socket, request or timer of ours keeps it alive - with exit code 0
// and no unhandled rejection or uncaught exception on the way.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { nextEvent, within } from './support';

const CHILD = join(__dirname, 'child');
let child: ChildProcess | null = null;
const clients: ClientSocket[] = [];

afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
  if (child !== null && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = null;
});

function startChild(): {
  lines: AsyncIterableIterator<string>;
  exited: Promise<number | null>;
  stderr: string[];
} {
  child = spawn(process.execPath, ['-r', join(CHILD, 'register.js'), join(CHILD, 'server.ts')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child!.once('exit', (code) => resolve(code)),
  );
  return {
    lines: createInterface({ input: child.stdout! })[Symbol.asyncIterator](),
    exited,
    stderr,
  };
}

async function nextLine(
  lines: AsyncIterableIterator<string>,
  what: string,
): Promise<Record<string, unknown>> {
  const { value, done } = await within(15000, what, lines.next());
  if (done) throw new Error(`the child ended before ${what}`);
  return JSON.parse(value) as Record<string, unknown>;
}

it('survives throwing and rejecting listeners, then exits by itself on SIGTERM with clients connected', async () => {
  const { lines, exited, stderr } = startChild();
  const { port } = (await nextLine(lines, 'the port')) as { port: number };
  const url = `http://127.0.0.1:${port}`;
  for (const transports of [['websocket'], ['polling'], ['polling', 'websocket']]) {
    clients.push(connectClient(url, { transports, forceNew: true, reconnection: false }));
  }
  await within(10000, 'clients', Promise.all(clients.map((c) => nextEvent(c, 'connect'))));
  for (const c of clients) {
    c.emit('throw');
    c.emit('reject');
  }
  // Still serving every client after the failures.
  for (const c of clients)
    expect(await within(5000, 'echo', c.timeout(4000).emitWithAck('echo', 'still here'))).toBe(
      'still here',
    );

  const disconnected = clients.map((c) => nextEvent(c, 'disconnect'));
  child!.kill('SIGTERM');
  const closed = await nextLine(lines, 'the close report');
  expect(closed).toEqual({ closed: true, faults: [] });
  expect(await within(10000, 'the process to exit on its own', exited)).toBe(0);
  await within(5000, 'every client to see the close', Promise.all(disconnected));
  expect(stderr.join('')).not.toMatch(/Unhandled|uncaught/i);
}, 45000);

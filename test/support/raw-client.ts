// A raw WebSocket client speaking Engine.IO by hand, for tests that need exact frames
// (docs/internals/wire-protocol.md, "WebSocket transport" and "Protocol violations"). It never answers pings unless told to.
import WebSocket from 'ws';

export interface RawClient {
  ws: WebSocket;
  /** The Engine.IO open packet's payload. */
  open: { sid: string; pingInterval: number; pingTimeout: number; maxPayload: number };
  /** Resolves with the next text or binary message (Engine.IO packets, verbatim). */
  next(): Promise<string | Buffer>;
  /** Resolves with the next message that satisfies `match`, skipping others (e.g. pings). */
  nextMatching(match: (frame: string | Buffer) => boolean): Promise<string | Buffer>;
  send(frame: string | Buffer): void;
  /** Resolves with the close code once the server closed the WebSocket. */
  closed: Promise<number>;
  close(): void;
}

const openClients = new Set<WebSocket>();

/** Opens `ws://host/socket.io/?EIO=4&transport=websocket` and waits for the open packet. */
export async function rawConnect(
  port: number,
  opts: { path?: string; answerPings?: boolean; query?: string } = {},
): Promise<RawClient> {
  const path = opts.path ?? '/socket.io';
  const ws = new WebSocket(
    `ws://127.0.0.1:${port}${path}/?EIO=4&transport=websocket${opts.query ?? ''}`,
  );
  openClients.add(ws);
  const queue: (string | Buffer)[] = [];
  const waiters: ((frame: string | Buffer) => void)[] = [];
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const frame = isBinary ? data : data.toString();
    if (opts.answerPings && frame === '2') return ws.send('3');
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else queue.push(frame);
  });
  ws.on('error', () => undefined);
  const closed = new Promise<number>((resolve) =>
    ws.once('close', (code) => {
      openClients.delete(ws);
      resolve(code);
    }),
  );
  const next = (): Promise<string | Buffer> =>
    queue.length > 0
      ? Promise.resolve(queue.shift()!)
      : new Promise((resolve) => waiters.push(resolve));
  const first = (await next()) as string;
  if (first[0] !== '0') throw new Error(`expected an open packet, got ${first}`);
  return {
    ws,
    open: JSON.parse(first.slice(1)),
    next,
    async nextMatching(match) {
      for (;;) {
        const frame = await next();
        if (match(frame)) return frame;
      }
    },
    send(frame) {
      ws.send(frame);
    },
    closed,
    close() {
      ws.terminate();
    },
  };
}

/** Terminates every raw client still open (call in afterEach). */
export function closeRawClients(): void {
  for (const ws of openClients) ws.terminate();
  openClients.clear();
}

// A raw WebSocket client that hands out frames one at a time, in order, without losing
// any that arrive before the test asks for them.
import WebSocket from 'ws';

export interface FrameReader {
  ws: WebSocket;
  /** The next frame: a string for text frames, a Buffer for binary ones. */
  next(): Promise<string | Buffer>;
  /** Resolves with the close code. */
  closed: Promise<number>;
}

export function openFrameReader(url: string, opened: WebSocket[]): FrameReader {
  const ws = new WebSocket(url);
  opened.push(ws);
  ws.on('error', () => undefined);
  const queue: (string | Buffer)[] = [];
  const waiters: ((v: string | Buffer) => void)[] = [];
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const value = isBinary ? data : data.toString();
    const waiter = waiters.shift();
    if (waiter) waiter(value);
    else queue.push(value);
  });
  return {
    ws,
    next: () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => waiters.push(resolve))),
    closed: new Promise((resolve) => ws.on('close', (code) => resolve(code))),
  };
}

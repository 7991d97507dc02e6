// docs/benchmarks.md, "Coalesced writes": what one WebSocket client is sent within a tick
// leaves in one write to its TCP stream; a text sent to many clients stays a text frame.
import type { Duplex } from 'node:stream';
import type { EngineSession } from '../../src/engine';
import { closeEngines, startEngine, WsClient, wsUrl, type EngineHarness } from './helpers';

afterEach(closeEngines);

async function wsSession(h: EngineHarness): Promise<{ client: WsClient; session: EngineSession }> {
  const sessionP = h.nextSession();
  const client = new WsClient(wsUrl(h, { transport: 'websocket' }));
  await client.nextText(); // the open packet
  return { client, session: await sessionP };
}

/** Counts the writes that reach the TCP stream (one `_write` or `_writev` each). */
function countWrites(session: EngineSession): { count: number } {
  return countStreamWrites(session.request.socket);
}

function countStreamWrites(socket: Duplex): { count: number } {
  const stream = socket as Duplex & {
    _write: (...args: unknown[]) => void;
    _writev?: (...args: unknown[]) => void;
  };
  const counter = { count: 0 };
  const write = stream._write;
  const writev = stream._writev;
  stream._write = function (...args: unknown[]) {
    counter.count++;
    return write.apply(this, args);
  };
  if (writev !== undefined) {
    stream._writev = function (...args: unknown[]) {
      counter.count++;
      return writev.apply(this, args);
    };
  }
  return counter;
}

describe('write coalescing over WebSocket', () => {
  it('packets sent to one client within a tick leave in one write, in order, each its own frame', async () => {
    const h = await startEngine({}, { echo: false });
    const { client, session } = await wsSession(h);
    const writes = countWrites(session);
    session.send('one');
    session.send(Buffer.from([7, 8]));
    session.send('three');
    expect(await client.next()).toEqual({ data: '4one', isBinary: false });
    expect(await client.next()).toEqual({ data: Buffer.from([7, 8]), isBinary: true });
    expect(await client.next()).toEqual({ data: '4three', isBinary: false });
    expect(writes.count).toBe(1);
  });

  it('a packet sent in a later tick is written in that tick, not held back', async () => {
    const h = await startEngine({}, { echo: false });
    const { client, session } = await wsSession(h);
    const writes = countWrites(session);
    session.send('first');
    expect(await client.nextText()).toBe('4first');
    session.send('second');
    expect(await client.nextText()).toBe('4second');
    expect(writes.count).toBe(2);
  });

  it('the same text sent to many clients in one tick reaches each intact as a text frame', async () => {
    const h = await startEngine({}, { echo: false });
    const peers = [await wsSession(h), await wsSession(h), await wsSession(h)];
    const text = 'broadcast ✓ ' + 'x'.repeat(200);
    for (const { session } of peers) session.send(text);
    for (const { session } of peers) session.send(text);
    for (const { client } of peers) {
      expect(await client.next()).toEqual({ data: '4' + text, isBinary: false });
      expect(await client.next()).toEqual({ data: '4' + text, isBinary: false });
    }
  });

  it('a compressed session still coalesces and delivers text intact', async () => {
    const h = await startEngine({ perMessageDeflate: { threshold: 0 } }, { echo: false });
    const peers = [await wsSession(h), await wsSession(h)];
    const text = 'zip '.repeat(100);
    for (const { session } of peers) session.send(text);
    for (const { client } of peers) expect(await client.nextText()).toBe('4' + text);
  });

  it('what the cork holds back is not a backlog: bufferedAmount stays 0 for a client that reads', async () => {
    const h = await startEngine({}, { echo: false });
    const { client, session } = await wsSession(h);
    session.send('a');
    session.send('b');
    // Volatile packets are dropped for a session with a backlog (docs/limits.md).
    expect(session.bufferedAmount).toBe(0);
    expect(await client.nextText()).toBe('4a');
    expect(await client.nextText()).toBe('4b');
  });

  it('a burst over maxBufferedBytes within one tick to a client that reads is not a slow consumer', async () => {
    const h = await startEngine({ maxBufferedBytes: 64 * 1024 }, { echo: false });
    const { client, session } = await wsSession(h);
    const chunk = 'y'.repeat(16 * 1024);
    for (let i = 0; i < 8; i++) session.send(`${i}${chunk}`);
    for (let i = 0; i < 8; i++) expect(await client.nextText()).toBe(`4${i}${chunk}`);
    expect(session.readyState).toBe('open');
  });

  it.each([3, 124, 125, 126, 65534, 65535, 65536, 70000])(
    'a %i-byte frame shared by several clients arrives intact (7-, 16- and 64-bit lengths)',
    async (frameBytes) => {
      const h = await startEngine({ maxHttpBufferSize: 1e6 }, { echo: false });
      const peers = [await wsSession(h), await wsSession(h), await wsSession(h)];
      // One multi-byte character, so that bytes and UTF-16 units differ.
      const text = 'é' + 'z'.repeat(frameBytes - 3);
      expect(Buffer.byteLength('4' + text)).toBe(frameBytes);
      for (const { session } of peers) session.send(text);
      for (const { session } of peers) session.send('after');
      for (const { client } of peers) {
        expect(await client.nextText()).toBe('4' + text);
        expect(await client.nextText()).toBe('4after');
      }
    },
  );

  it('the 101 response and the open packet leave in one write', async () => {
    const h = await startEngine({}, { echo: false });
    let writes: { count: number } | null = null;
    // Runs before the engine's own upgrade listener, so every write of this socket is counted.
    h.httpServer.prependListener('upgrade', (_req, socket: Duplex) => {
      writes = countStreamWrites(socket);
    });
    await wsSession(h);
    expect(writes).not.toBeNull();
    expect(writes!.count).toBe(1);
  });
});

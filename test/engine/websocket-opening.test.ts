// Opening a session over WebSocket without engine middlewares goes straight to `ws` (no
// stand-in response, no promise). Each option that needs the slower path still works there:
// the 101's headers, the cookie, allowRequest, generateId (sync, async, throwing) and refusals.
import type { IncomingMessage } from 'node:http';
import type { ConnectionErrorEvent } from '../../src/engine';
import { closeEngines, openPolling, startEngine, within, WsClient, wsUrl, type EngineHarness } from './helpers';

afterEach(closeEngines);

async function open(h: EngineHarness, params: Record<string, string> = {}): Promise<{ client: WsClient; sid: string }> {
  const client = new WsClient(wsUrl(h, { transport: 'websocket', ...params }));
  const sid = JSON.parse((await client.nextText()).slice(1)).sid as string;
  return { client, sid };
}

function nextConnectionError(h: EngineHarness): Promise<ConnectionErrorEvent> {
  return within(new Promise((resolve) => h.engine.once('connection_error', resolve)), 2000, 'connection_error');
}

describe('opening over WebSocket without engine middlewares', () => {
  it('the 101 carries initial_headers and headers additions; initial_headers sees the request', async () => {
    const h = await startEngine();
    const seen: string[] = [];
    h.engine.on('initial_headers', (headers: Record<string, string>, req: IncomingMessage) => {
      seen.push(req.url ?? '');
      headers['X-Initial'] = '1';
    });
    h.engine.on('headers', (headers: Record<string, string>) => {
      headers['X-Every'] = ['a', 'b'] as unknown as string;
    });
    const { client } = await open(h);
    expect(client.upgradeHeaders['x-initial']).toBe('1');
    expect(client.upgradeHeaders['x-every']).toBe('a, b');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toContain('transport=websocket');
  });

  it('the 101 carries the cookie', async () => {
    const h = await startEngine({ cookie: { name: 'wg', path: '/x' } });
    const { client, sid } = await open(h);
    expect(client.upgradeHeaders['set-cookie']).toEqual([`wg=${sid}; Path=/x; HttpOnly; SameSite=Lax`]);
  });

  it('an upgrade of a polling session gets headers but not initial_headers', async () => {
    const h = await startEngine();
    const { sid } = await openPolling(h);
    const initial: unknown[] = [];
    h.engine.on('initial_headers', (headers: unknown) => initial.push(headers));
    h.engine.on('headers', (headers: Record<string, string>) => {
      headers['X-Every'] = '1';
    });
    const client = new WsClient(wsUrl(h, { transport: 'websocket', sid }));
    await client.waitOpen();
    expect(client.upgradeHeaders['x-every']).toBe('1');
    expect(initial).toEqual([]);
  });

  it('an asynchronous allowRequest accepts or refuses (an upgrade is refused with 400)', async () => {
    const h = await startEngine({
      allowRequest: (req, cb) => setImmediate(() => cb(null, req.url?.includes('ok=1') ?? false)),
    });
    await open(h, { ok: '1' });
    const refused = nextConnectionError(h);
    const client = new WsClient(wsUrl(h, { transport: 'websocket' }));
    await expect(client.opened).rejects.toThrow(/400/);
    expect((await refused).code).toBe(4);
  });

  it('generateId: a sync and an async id are used as they are', async () => {
    const h = await startEngine();
    h.engine.generateId = () => 'sync-id';
    expect((await open(h)).sid).toBe('sync-id');
    h.engine.generateId = async () => 'async-id';
    expect((await open(h)).sid).toBe('async-id');
  });

  it('generateId throwing or rejecting: the WebSocket opens, then closes; connection_error code 3', async () => {
    const h = await startEngine();
    for (const generate of [
      () => {
        throw new Error('sync failure');
      },
      () => Promise.reject(new Error('async failure')),
    ]) {
      h.engine.generateId = generate;
      const refused = nextConnectionError(h);
      const client = new WsClient(wsUrl(h, { transport: 'websocket' }));
      await client.waitOpen();
      await client.waitClosed();
      expect((await refused).code).toBe(3);
      expect(h.engine.clientsCount).toBe(0);
    }
  });

  it('an unsupported EIO: the WebSocket opens, then closes; connection_error code 5', async () => {
    const h = await startEngine();
    const refused = nextConnectionError(h);
    const client = new WsClient(`ws://127.0.0.1:${h.port}${h.path}/?EIO=3&transport=websocket`);
    await client.waitOpen();
    await client.waitClosed();
    expect((await refused).code).toBe(5);
  });

  it('default session ids are 20 URL-safe characters, all different', async () => {
    const h = await startEngine();
    const ids = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const { sid, client } = await open(h);
      expect(sid).toMatch(/^[A-Za-z0-9_-]{20}$/);
      ids.add(sid);
      client.ws.terminate();
    }
    expect(ids.size).toBe(30);
  });
});

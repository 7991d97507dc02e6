// Sessions and transports report to their owners by direct calls (docs/benchmarks.md,
// finding 4); their public events still reach every listener a user adds, in the same order.
import type { EngineSession, SessionCloseReason } from '../../src/engine';
import type { EnginePacket } from '../../src/engine/packet';
import { closeEngines, openPolling, poll, post, startEngine, within, WsClient, wsUrl, type EngineHarness } from './helpers';

afterEach(closeEngines);

async function wsSession(h: EngineHarness): Promise<{ client: WsClient; session: EngineSession }> {
  const sessionP = h.nextSession();
  const client = new WsClient(wsUrl(h, { transport: 'websocket' }));
  await client.nextText();
  return { client, session: await sessionP };
}

function nextEvent<T extends unknown[]>(emitter: NodeJS.EventEmitter, event: string): Promise<T> {
  return within(new Promise<T>((resolve) => emitter.once(event, (...args: unknown[]) => resolve(args as T))), 2000, event);
}

describe('session events with nobody of ours listening', () => {
  it('a fresh session and its transport have no listeners; added ones can be removed again', async () => {
    const h = await startEngine({}, { echo: false });
    const { session } = await wsSession(h);
    expect(session.eventNames()).toEqual([]);
    expect(session.listenerCount('message')).toBe(0);
    expect(session.transport.eventNames()).toEqual([]);
    const listener = (): void => undefined;
    session.on('message', listener);
    expect(session.listeners('message')).toEqual([listener]);
    session.off('message', listener);
    expect(session.listenerCount('message')).toBe(0);
    expect(session.eventNames()).toEqual([]);
  });

  it('message, packet and heartbeat reach session listeners (WebSocket)', async () => {
    const h = await startEngine({ pingInterval: 50, pingTimeout: 1000 }, { echo: false });
    const { client, session } = await wsSession(h);
    const packet = nextEvent<[EnginePacket]>(session, 'packet');
    const message = nextEvent<[string]>(session, 'message');
    client.send('4hi');
    expect((await packet)[0]).toEqual({ type: 'message', data: 'hi' });
    expect(await message).toEqual(['hi']);
    const heartbeat = nextEvent(session, 'heartbeat');
    expect(await client.nextText()).toBe('2');
    client.send('3');
    await heartbeat;
  });

  it('close reaches listeners after the engine forgot the session', async () => {
    const h = await startEngine({}, { echo: false });
    const { client, session } = await wsSession(h);
    const closed = new Promise<[SessionCloseReason, boolean]>((resolve) =>
      session.on('close', (reason: SessionCloseReason) => resolve([reason, h.engine.clients.has(session.id)])),
    );
    client.send('1');
    expect(await within(closed, 2000, 'close')).toEqual(['transport close', false]);
  });

  it('packetCreate, flush and drain listeners see what is sent, and stop seeing it once removed', async () => {
    const h = await startEngine({}, { echo: false });
    const { client, session } = await wsSession(h);
    const created: EnginePacket[] = [];
    const flushed: EnginePacket[][] = [];
    let drains = 0;
    const onCreate = (p: EnginePacket): number => created.push(p);
    const onFlush = (ps: EnginePacket[]): number => flushed.push(ps);
    const onDrain = (): number => drains++;
    session.on('packetCreate', onCreate);
    session.on('flush', onFlush);
    session.on('drain', onDrain);
    session.send('one');
    expect(await client.nextText()).toBe('4one');
    expect(created.map((p) => p.data)).toEqual(['one']);
    expect(flushed.map((ps) => ps.map((p) => p.data))).toEqual([['one']]);
    expect(drains).toBe(1);
    session.off('packetCreate', onCreate);
    session.off('flush', onFlush);
    session.off('drain', onDrain);
    session.send('two');
    expect(await client.nextText()).toBe('4two');
    expect(created).toHaveLength(1);
    expect(flushed).toHaveLength(1);
    expect(drains).toBe(1);
  });
});

describe('transport events', () => {
  it('packet and close reach listeners on a WebSocket transport, after the session', async () => {
    const h = await startEngine({}, { echo: false });
    const { client, session } = await wsSession(h);
    const transport = session.transport;
    const order: string[] = [];
    session.on('message', () => order.push('session message'));
    transport.on('packet', (p: EnginePacket) => order.push(`transport ${p.type}`));
    const closed = nextEvent(transport, 'close');
    const message = nextEvent(session, 'message');
    client.send('4x');
    await message;
    expect(order).toEqual(['session message', 'transport message']);
    client.ws.close();
    await closed;
    expect(session.readyState).toBe('closed');
  });

  it('error reaches a listener; without one a bad packet only closes the session', async () => {
    const h = await startEngine({}, { echo: false });
    const first = await wsSession(h);
    const error = nextEvent<[string, Error]>(first.session.transport, 'error');
    first.client.send('x');
    expect((await error)[0]).toBe('parse error');
    const second = await wsSession(h);
    const reason = nextEvent<[SessionCloseReason, Error]>(second.session, 'close');
    second.client.send('x');
    expect((await reason)[0]).toBe('parse error');
  });

  it('drain and packet reach listeners on a polling transport', async () => {
    const h = await startEngine({}, { echo: false });
    const sessionP = h.nextSession();
    const { sid } = await openPolling(h);
    const session = await sessionP;
    const drained = nextEvent(session.transport, 'drain');
    const held = poll(h, sid);
    await drained;
    const packet = nextEvent<[EnginePacket]>(session.transport, 'packet');
    await post(h, sid, '4posted');
    expect((await packet)[0]).toEqual({ type: 'message', data: 'posted' });
    session.send('back');
    expect((await held).text).toBe('4back');
  });
});

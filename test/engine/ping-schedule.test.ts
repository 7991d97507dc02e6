// docs/internals/wire-protocol.md, "Heartbeat" with many sessions: sessions of one pingInterval share one schedule (one
// timer), yet each is pinged pingInterval after its own open packet and after its own pong.
import type { EngineSession } from '../../src/engine';
import { closeEngines, sessionClosed, startEngine, WsClient, wsUrl, type EngineHarness } from './helpers';

afterEach(closeEngines);

async function wsSession(h: EngineHarness): Promise<{ client: WsClient; session: EngineSession; opened: number }> {
  const sessionP = h.nextSession();
  const client = new WsClient(wsUrl(h, { transport: 'websocket' }));
  await client.nextText();
  return { client, session: await sessionP, opened: Date.now() };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('ping schedule shared by the sessions of one pingInterval', () => {
  it('each session is pinged pingInterval after its own open, not with the others', async () => {
    const h = await startEngine({ pingInterval: 120, pingTimeout: 1000 });
    const a = await wsSession(h);
    await sleep(60);
    const b = await wsSession(h);
    expect(await a.client.nextText(1000)).toBe('2');
    expect(Date.now() - a.opened).toBeGreaterThanOrEqual(110);
    // b opened ~60 ms after a: the shared timer must not ping it together with a.
    expect(await b.client.nextText(1000)).toBe('2');
    expect(Date.now() - b.opened).toBeGreaterThanOrEqual(110);
  });

  it('a pong moves only its own session to the back; the next ping comes pingInterval after it', async () => {
    const h = await startEngine({ pingInterval: 100, pingTimeout: 1000 });
    const a = await wsSession(h);
    const b = await wsSession(h);
    expect(await a.client.nextText(1000)).toBe('2');
    expect(await b.client.nextText(1000)).toBe('2');
    a.client.send('3');
    const aPong = Date.now();
    await sleep(50);
    b.client.send('3');
    const bPong = Date.now();
    expect(await a.client.nextText(1000)).toBe('2');
    expect(Date.now() - aPong).toBeGreaterThanOrEqual(90);
    expect(await b.client.nextText(1000)).toBe('2');
    expect(Date.now() - bPong).toBeGreaterThanOrEqual(90);
  });

  it('a closed session leaves the schedule; the others keep their pings and timeouts', async () => {
    const h = await startEngine({ pingInterval: 60, pingTimeout: 60 });
    const a = await wsSession(h);
    const b = await wsSession(h);
    const c = await wsSession(h);
    const bClosed = sessionClosed(b.session, 2000);
    b.client.send('1');
    expect(await bClosed).toBe('transport close');
    const aClosed = sessionClosed(a.session, 2000);
    expect(await a.client.nextText(1000)).toBe('2');
    expect(await c.client.nextText(1000)).toBe('2');
    c.client.send('3');
    // a never answers: ping timeout; c answered and is pinged again.
    expect(await aClosed).toBe('ping timeout');
    expect(await c.client.nextText(1000)).toBe('2');
    expect(c.session.readyState).toBe('open');
  });

  it('engines with different pingIntervals do not share a schedule', async () => {
    const fast = await startEngine({ pingInterval: 40, pingTimeout: 1000 });
    const slow = await startEngine({ pingInterval: 200, pingTimeout: 1000 });
    const s = await wsSession(slow);
    const f = await wsSession(fast);
    expect(await f.client.nextText(1000)).toBe('2');
    expect(Date.now() - s.opened).toBeLessThan(200);
    expect(await s.client.nextText(1000)).toBe('2');
    expect(Date.now() - s.opened).toBeGreaterThanOrEqual(190);
  });
});

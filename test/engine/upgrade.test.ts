// docs/internals/wire-protocol.md, "Upgrade" (from polling to WebSocket, and its example exchange), with
// raw HTTP and `ws` clients: probe, noop release, switch, and no packet lost or reordered.
import type { EngineSession } from '../../src/engine';
import { closeEngines, openPolling, poll, post, sessionClosed, startEngine, within, WsClient, wsUrl, type EngineHarness, type RawResponse } from './helpers';

afterEach(closeEngines);

async function pollingSession(h: EngineHarness): Promise<{ sid: string; session: EngineSession }> {
  const sessionP = h.nextSession();
  const { sid } = await openPolling(h);
  return { sid, session: await sessionP };
}

function held(session: EngineSession): Promise<void> {
  if (session.transport.hasPendingReceive) return Promise.resolve();
  return within(new Promise((resolve) => session.transport.once('drain', () => resolve())), 2000, 'held GET');
}

function upgrading(session: EngineSession): Promise<void> {
  return within(new Promise((resolve) => session.once('upgrading', () => resolve())), 2000, 'upgrading');
}

function upgraded(session: EngineSession): Promise<void> {
  return within(new Promise((resolve) => session.once('upgrade', () => resolve())), 2000, 'upgrade');
}

/** Splits a polling payload into packets, decoding b<base64> as hex for comparison. */
function packetsOf(res: RawResponse): string[] {
  return res.text.split('\x1e').map((p) => (p.startsWith('b') ? 'bin:' + Buffer.from(p.slice(1), 'base64').toString('hex') : p));
}

describe('upgrade (§2.8)', () => {
  it('follows the worked example of §2.12 on a bare engine', async () => {
    const h = await startEngine({ pingInterval: 300, pingTimeout: 200 });
    const { response, sid } = await openPolling(h);
    expect(response.text).toBe(`0{"sid":"${sid}","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}`);
    const session = h.engine.clients.get(sid)!;
    expect((await post(h, sid, '4hello\x1ebAQIDBA==')).text).toBe('ok');
    expect((await poll(h, sid)).text).toBe('4hello\x1ebAQIDBA==');
    expect((await poll(h, sid)).text).toBe('2');
    expect((await post(h, sid, '3')).text).toBe('ok');
    const lastPoll = poll(h, sid);
    await held(session);
    const ws = new WsClient(wsUrl(h, { transport: 'websocket', sid }));
    await ws.waitOpen();
    ws.send('2probe');
    expect(await ws.nextText()).toBe('3probe');
    expect((await lastPoll).text).toBe('6');
    const done = upgraded(session);
    ws.send('5');
    await done;
    expect(session.transport.name).toBe('websocket');
    expect(session.upgraded).toBe(true);
    ws.send('4hello');
    expect(await ws.nextText()).toBe('4hello');
    ws.send(Buffer.from([1, 2, 3, 4]));
    expect(await ws.next()).toEqual({ data: Buffer.from([1, 2, 3, 4]), isBinary: true });
    expect(await ws.nextText(1000)).toBe('2');
    ws.send('3');
    const after = await poll(h, sid);
    expect(after.status).toBe(400);
    expect(after.text).toBe('{"code":3,"message":"Bad request"}');
  });

  it('loses and reorders nothing across the switch, binary included', async () => {
    const h = await startEngine({}, { echo: false });
    const { sid, session } = await pollingSession(h);
    const received: string[] = [];
    let n = 0;
    const sendSome = (count: number) => {
      for (let i = 0; i < count; i++, n++) {
        if (n % 5 === 4) session.send(Buffer.from([n]));
        else session.send(`m${n}`);
      }
    };
    const expected = () => Array.from({ length: n }, (_, i) => (i % 5 === 4 ? 'bin:' + Buffer.from([i]).toString('hex') : `4m${i}`));

    sendSome(3); // buffered before any GET
    received.push(...packetsOf(await poll(h, sid)));
    const heldGet = poll(h, sid);
    await held(session);
    const ws = new WsClient(wsUrl(h, { transport: 'websocket', sid }));
    await upgrading(session);
    await ws.waitOpen();
    sendSome(4); // while the candidate exists but before the probe: the held GET takes the first
    received.push(...packetsOf(await heldGet));
    received.push(...packetsOf(await poll(h, sid))); // and the next GET the rest at once
    const afterProbeGet = poll(h, sid);
    await held(session);
    ws.send('2probe');
    expect(await ws.nextText()).toBe('3probe');
    const noop = await afterProbeGet;
    expect(noop.text).toBe('6');
    sendSome(6); // after the probe, no GET held: waits for the switch
    const done = upgraded(session);
    ws.send('5');
    await done;
    sendSome(5); // after the switch
    for (let i = 0; i < 11; i++) {
      const f = await ws.next();
      received.push(f.isBinary ? 'bin:' + (f.data as Buffer).toString('hex') : (f.data as string));
    }
    expect(received).toEqual(expected());
  });

  it('a packet sent while the held GET is being released goes in that GET, not lost', async () => {
    const h = await startEngine({}, { echo: false });
    const { sid, session } = await pollingSession(h);
    const heldGet = poll(h, sid);
    await held(session);
    const ws = new WsClient(wsUrl(h, { transport: 'websocket', sid }));
    await upgrading(session);
    await ws.waitOpen();
    session.send('racing');
    ws.send('2probe');
    expect(await ws.nextText()).toBe('3probe');
    expect((await heldGet).text).toBe('4racing');
    const done = upgraded(session);
    ws.send('5');
    await done;
    session.send('after');
    expect(await ws.nextText()).toBe('4after');
  });

  it('keeps processing POSTs and pongs on polling while upgrading', async () => {
    const h = await startEngine({}, { echo: false });
    const { sid, session } = await pollingSession(h);
    const got: unknown[] = [];
    session.on('message', (m) => got.push(m));
    const ws = new WsClient(wsUrl(h, { transport: 'websocket', sid }));
    await upgrading(session);
    await ws.waitOpen();
    ws.send('2probe');
    expect(await ws.nextText()).toBe('3probe');
    expect((await post(h, sid, '4via polling\x1ebAQ==')).text).toBe('ok');
    const done = upgraded(session);
    ws.send('5');
    await done;
    ws.send('4via ws');
    await within(new Promise((resolve) => session.once('message', resolve)), 2000, 'ws message');
    expect(got).toEqual(['via polling', Buffer.from([1]), 'via ws']);
  });

  it('a second WebSocket for an upgrading or upgraded sid is closed; the first is unaffected', async () => {
    const h = await startEngine();
    const { sid, session } = await pollingSession(h);
    const first = new WsClient(wsUrl(h, { transport: 'websocket', sid }));
    await upgrading(session);
    await first.waitOpen();
    const second = new WsClient(wsUrl(h, { transport: 'websocket', sid }));
    await second.waitClosed();
    first.send('2probe');
    expect(await first.nextText()).toBe('3probe');
    const done = upgraded(session);
    first.send('5');
    await done;
    const third = new WsClient(wsUrl(h, { transport: 'websocket', sid }));
    await third.waitClosed();
    first.send('4ok');
    expect(await first.nextText()).toBe('4ok');
  });

  it('no 5 within upgradeTimeout closes the candidate; the session carries on over polling', async () => {
    const h = await startEngine({ upgradeTimeout: 80 }, { echo: false });
    const { sid, session } = await pollingSession(h);
    const ws = new WsClient(wsUrl(h, { transport: 'websocket', sid }));
    await upgrading(session);
    await ws.waitOpen();
    ws.send('2probe');
    expect(await ws.nextText()).toBe('3probe');
    await ws.waitClosed();
    expect(session.upgrading).toBe(false);
    expect(session.transport.name).toBe('polling');
    session.send('still polling');
    expect((await poll(h, sid)).text).toBe('4still polling');
  });

  it('any other packet on the candidate closes it; the session carries on', async () => {
    const h = await startEngine({}, { echo: false });
    const { sid, session } = await pollingSession(h);
    const ws = new WsClient(wsUrl(h, { transport: 'websocket', sid }));
    await upgrading(session);
    await ws.waitOpen();
    ws.send('4not yet');
    await ws.waitClosed();
    expect(session.readyState).toBe('open');
    session.send('fine');
    expect((await poll(h, sid)).text).toBe('4fine');
    // A new attempt is allowed after a failed one.
    const retry = new WsClient(wsUrl(h, { transport: 'websocket', sid }));
    await upgrading(session);
    await retry.waitOpen();
    retry.send('2probe');
    expect(await retry.nextText()).toBe('3probe');
  });

  it('the candidate is closed when the session closes meanwhile', async () => {
    const h = await startEngine();
    const { session } = await pollingSession(h);
    const ws = new WsClient(wsUrl(h, { transport: 'websocket', sid: session.id }));
    await upgrading(session);
    await ws.waitOpen();
    const reason = sessionClosed(session);
    session.close(true);
    expect(await reason).toBe('forced close');
    await ws.waitClosed();
  });

  it('releases a held GET that arrives after the probe with a noop, every 100 ms', async () => {
    const h = await startEngine({}, { echo: false });
    const { sid, session } = await pollingSession(h);
    const ws = new WsClient(wsUrl(h, { transport: 'websocket', sid }));
    await upgrading(session);
    await ws.waitOpen();
    ws.send('2probe');
    expect(await ws.nextText()).toBe('3probe');
    expect((await poll(h, sid)).text).toBe('6');
  });
});

// docs/internals/wire-protocol.md, "Long-polling" and "Closing a session" over HTTP long-polling: payloads, record separators, base64
// binary, held GETs, overlapping/aborted GETs, POST errors, close packets.
import { gunzipSync, inflateSync } from 'node:zlib';
import type { EngineSession } from '../../src/engine';
import type { PollingTransport } from '../../src/engine/transports/polling';
import { closeEngines, eio, openPolling, poll, post, request, sessionClosed, startEngine, within, type EngineHarness } from './helpers';

afterEach(closeEngines);

async function opened(h: EngineHarness): Promise<{ sid: string; session: EngineSession }> {
  const sessionP = h.nextSession();
  const { sid } = await openPolling(h);
  return { sid, session: await sessionP };
}

/** Resolves once the session holds a GET (the request reached the server). */
function held(session: EngineSession): Promise<void> {
  if (session.transport.hasPendingReceive) return Promise.resolve();
  return within(new Promise((resolve) => session.transport.once('drain', () => resolve())), 2000, 'held GET');
}

describe('polling GET and POST', () => {
  it('POST answers ok (text/html, length 2, no-store); packets come back joined by \\x1e; binary as b<base64>', async () => {
    const h = await startEngine();
    const { sid } = await opened(h);
    const res = await post(h, sid, '4hello\x1ebAQIDBA==\x1e4world');
    expect(res.status).toBe(200);
    expect(res.text).toBe('ok');
    expect(res.headers['content-type']).toBe('text/html');
    expect(res.headers['content-length']).toBe('2');
    expect(res.headers['cache-control']).toBe('no-store');
    const got = await poll(h, sid);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(got.text).toBe('4hello\x1ebAQIDBA==\x1e4world');
  });

  it('delivers incoming messages in order, binary as Buffers', async () => {
    const h = await startEngine({}, { echo: false });
    const { sid, session } = await opened(h);
    const got: (string | Buffer)[] = [];
    session.on('message', (m: string | Buffer) => got.push(m));
    await post(h, sid, '4a\x1ebAQIDBA==\x1e4é€\x1e4');
    expect(got).toEqual(['a', Buffer.from([1, 2, 3, 4]), 'é€', '']);
  });

  it('holds an empty GET until something is sent, then answers with everything buffered', async () => {
    const h = await startEngine({}, { echo: false });
    const { sid, session } = await opened(h);
    const pending = poll(h, sid);
    await held(session);
    session.send('one');
    expect((await pending).text).toBe('4one');
    session.send('two');
    session.send(Buffer.from([0xff, 0]));
    session.send('three');
    expect((await poll(h, sid)).text).toBe('4two\x1eb/wA=\x1e4three');
  });

  it('send(data, options, callback): the callback runs once a GET carried the packet', async () => {
    const h = await startEngine({}, { echo: false });
    const { sid, session } = await opened(h);
    let sent = false;
    const done = new Promise<void>((resolve) => session.send('tracked', {}, () => {
      sent = true;
      resolve();
    }));
    expect(sent).toBe(false);
    await within(new Promise((resolve) => setImmediate(resolve)), 1000, 'a turn of the loop');
    expect(sent).toBe(false); // no GET yet: still buffered
    expect((await poll(h, sid)).text).toBe('4tracked');
    await within(done, 2000, 'send callback');
  });

  it('Content-Length counts bytes, not characters', async () => {
    const h = await startEngine({}, { echo: false });
    const { sid, session } = await opened(h);
    session.send('€€');
    const res = await poll(h, sid);
    expect(res.text).toBe('4€€');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength('4€€')));
  });
});

describe('polling errors (§2.6)', () => {
  it('a second GET while one is held: the held one gets 1, the second 400 empty, the sid is gone', async () => {
    const h = await startEngine();
    const { sid, session } = await opened(h);
    const reason = sessionClosed(session);
    const first = poll(h, sid);
    await held(session);
    const second = await poll(h, sid);
    expect(second.status).toBe(400);
    expect(second.text).toBe('');
    expect((await first).text).toBe('1');
    expect(await reason).toBe('transport error');
    expect((await poll(h, sid)).text).toBe('{"code":1,"message":"Session ID unknown"}');
  });

  it('an aborted held GET closes the session (transport error); later requests get code 1', async () => {
    const h = await startEngine();
    const { sid, session } = await opened(h);
    const reason = sessionClosed(session);
    const aborted = request(h.port, 'GET', eio(h.path, { EIO: '4', transport: 'polling', sid }), {
      onRequest: (req) => {
        void held(session).then(() => req.destroy());
      },
    }).catch((err: Error) => err);
    expect(await aborted).toHaveProperty('message');
    expect(await reason).toBe('transport error');
    const after = await poll(h, sid);
    expect(after.status).toBe(400);
    expect(after.text).toBe('{"code":1,"message":"Session ID unknown"}');
  });

  it('a POST body larger than maxHttpBufferSize gets 413 empty and is dropped; the session stays', async () => {
    const h = await startEngine({ maxHttpBufferSize: 100 }, { echo: false });
    const { sid, session } = await opened(h);
    const got: unknown[] = [];
    session.on('message', (m) => got.push(m));
    const big = await post(h, sid, '4' + 'x'.repeat(100));
    expect(big.status).toBe(413);
    expect(big.text).toBe('');
    // Without Content-Length (chunked): the limit is checked as the data enters.
    const chunked = await request(h.port, 'POST', eio(h.path, { EIO: '4', transport: 'polling', sid }), {
      onRequest: (req) => {
        req.write('4' + 'y'.repeat(60));
        req.write('z'.repeat(60));
      },
    });
    expect(chunked.status).toBe(413);
    expect(session.readyState).toBe('open');
    expect((await post(h, sid, '4' + 'x'.repeat(99))).text).toBe('ok');
    expect(got).toEqual(['x'.repeat(99)]);
  });

  it('an undecodable body gets 400 and closes the session (parse error); next request 400 code 1', async () => {
    const h = await startEngine();
    const { sid, session } = await opened(h);
    const reason = sessionClosed(session);
    const res = await post(h, sid, 'abc');
    expect(res.status).toBe(400);
    expect(await reason).toBe('parse error');
    expect((await post(h, sid, '4x')).text).toBe('{"code":1,"message":"Session ID unknown"}');
  });

  it.each([
    ['an empty body', ''],
    ['bad base64', 'b%%%'],
    ['an empty packet between separators', '4a\x1e\x1e4b'],
  ])('%s is a parse error', async (_name, body) => {
    const h = await startEngine();
    const { sid, session } = await opened(h);
    const reason = sessionClosed(session);
    expect((await post(h, sid, body)).status).toBe(400);
    expect(await reason).toBe('parse error');
  });

  it.each([
    ['an undecodable body', 'text/plain;charset=UTF-8', 'abc'],
    ['an octet-stream body', 'application/octet-stream', '4x'],
  ])('a POST with %s answers the held GET with 1 before the session ends', async (_name, type, body) => {
    const h = await startEngine();
    const { sid, session } = await opened(h);
    const pending = poll(h, sid);
    await held(session);
    expect((await post(h, sid, body, { 'Content-Type': type })).status).toBe(400);
    expect((await pending).text).toBe('1');
  });

  it('after engine.close(), a late request is still answered (refused, Connection: close)', async () => {
    const h = await startEngine();
    const { sid } = await opened(h);
    h.engine.close();
    const late = await request(h.port, 'GET', eio(h.path, { EIO: '4', transport: 'polling' }));
    expect(late.status).toBe(400);
    expect(late.text).toBe('{"code":3,"message":"Bad request"}');
    expect(late.headers.connection).toBe('close');
    expect((await poll(h, sid)).text).toBe('{"code":1,"message":"Session ID unknown"}');
  });

  it('Content-Type application/octet-stream: 400 and the session is closed', async () => {
    const h = await startEngine();
    const { sid, session } = await opened(h);
    const reason = sessionClosed(session);
    const res = await post(h, sid, Buffer.from([4, 1, 2]), { 'Content-Type': 'application/octet-stream' });
    expect(res.status).toBe(400);
    expect(await reason).toBe('transport error');
  });

  it('a second POST while one is being read: 400 and the session is closed', async () => {
    const h = await startEngine();
    const { sid, session } = await opened(h);
    const reason = sessionClosed(session);
    let slowReq: import('node:http').ClientRequest | undefined;
    const slow = request(h.port, 'POST', eio(h.path, { EIO: '4', transport: 'polling', sid }), {
      headers: { 'Content-Length': '10' },
      onRequest: (req) => {
        slowReq = req;
        req.write('4abc');
      },
    }).catch((e: Error) => e);
    // The first POST is being read once its first chunk reached the server.
    await within(
      new Promise<void>((resolve) => h.httpServer.once('request', () => setImmediate(resolve))),
      2000,
      'first POST',
    );
    const second = await post(h, sid, '4x');
    expect(second.status).toBe(400);
    expect(await reason).toBe('transport error');
    slowReq?.destroy();
    await slow;
  });
});

describe('closing over polling (§2.6, §2.10)', () => {
  it('a 1 in a POST ends the session (transport close): held GET gets 6, POST ok, then code 1', async () => {
    const h = await startEngine();
    const { sid, session } = await opened(h);
    const reason = sessionClosed(session);
    const pending = poll(h, sid);
    await held(session);
    const res = await post(h, sid, '1');
    expect(res.text).toBe('ok');
    expect((await pending).text).toBe('6');
    expect(await reason).toBe('transport close');
    expect((await poll(h, sid)).text).toBe('{"code":1,"message":"Session ID unknown"}');
  });

  it('graceful server close with a held GET: the GET gets 1', async () => {
    const h = await startEngine();
    const { sid, session } = await opened(h);
    const reason = sessionClosed(session);
    const pending = poll(h, sid);
    await held(session);
    session.close();
    expect((await pending).text).toBe('1');
    expect(await reason).toBe('forced close');
  });

  it('graceful server close without a held GET: the session ends now, the next GET still gets 6\\x1e1', async () => {
    const h = await startEngine();
    const { sid, session } = await opened(h);
    const reason = sessionClosed(session);
    session.close();
    expect(session.readyState).toBe('closed');
    expect(await reason).toBe('forced close');
    expect(h.engine.clientsCount).toBe(0);
    const res = await poll(h, sid);
    expect(res.status).toBe(200);
    expect(res.text).toBe('6\x1e1');
    expect((await poll(h, sid)).text).toBe('{"code":1,"message":"Session ID unknown"}');
  });

  it('a client that sends 1 after our graceful close needs no 6\\x1e1', async () => {
    const h = await startEngine();
    const { sid, session } = await opened(h);
    session.close();
    expect((await post(h, sid, '1')).text).toBe('ok');
    expect((await poll(h, sid)).text).toBe('{"code":1,"message":"Session ID unknown"}');
  });

  it('graceful close flushes buffered packets first, then 6\\x1e1 on the following GET', async () => {
    const h = await startEngine({}, { echo: false });
    const { sid, session } = await opened(h);
    session.send('last words');
    session.close();
    session.send('too late');
    expect((await poll(h, sid)).text).toBe('4last words');
    expect((await poll(h, sid)).text).toBe('6\x1e1');
  });

  it('a client that never comes back is forgotten after pingTimeout', async () => {
    const h = await startEngine({ pingTimeout: 50 });
    const { sid, session } = await opened(h);
    const transport = session.transport as PollingTransport;
    session.close();
    expect(transport.isLingering).toBe(true);
    await within(new Promise<void>((resolve) => {
      const end = transport.onLingerEnd!;
      transport.onLingerEnd = () => {
        end();
        resolve();
      };
    }), 2000, 'linger end');
    expect((await poll(h, sid)).text).toBe('{"code":1,"message":"Session ID unknown"}');
  });

  it('discard close (server shutdown): no flush, the held GET gets 1, the sid is gone', async () => {
    const h = await startEngine({}, { echo: false });
    const { sid, session } = await opened(h);
    const reason = sessionClosed(session);
    const pending = poll(h, sid);
    await held(session);
    h.engine.close();
    expect((await pending).text).toBe('1');
    expect(await reason).toBe('server shutting down');
    expect(h.engine.clientsCount).toBe(0);
  });

  it('discard close without a held GET drops the buffer; next GET gets code 1', async () => {
    const h = await startEngine({}, { echo: false });
    const { sid, session } = await opened(h);
    session.send('dropped');
    session.close(true);
    expect(session.readyState).toBe('closed');
    expect((await poll(h, sid)).text).toBe('{"code":1,"message":"Session ID unknown"}');
  });
});

describe('response headers, cookie and compression', () => {
  it('sets the cookie on the opening response only, and runs initial_headers/headers', async () => {
    const h = await startEngine({ cookie: true });
    const initial: string[] = [];
    h.engine.on('initial_headers', (headers: Record<string, string>, req: { url: string }) => {
      headers['X-Initial'] = 'yes';
      initial.push(req.url);
    });
    h.engine.on('headers', (headers: Record<string, string>) => {
      headers['X-Every'] = 'yes';
    });
    const { response, sid } = await openPolling(h);
    expect(response.headers['set-cookie']).toEqual([`io=${sid}; Path=/; HttpOnly; SameSite=Lax`]);
    expect(response.headers['x-initial']).toBe('yes');
    expect(response.headers['x-every']).toBe('yes');
    expect(initial).toHaveLength(1);
    const next = await post(h, sid, '4x');
    expect(next.headers['set-cookie']).toBeUndefined();
    expect(next.headers['x-initial']).toBeUndefined();
    expect(next.headers['x-every']).toBe('yes');
  });

  it('cookie attributes are overridable', async () => {
    const h = await startEngine({ cookie: { name: 'sess', path: '/app', httpOnly: false, sameSite: 'strict', secure: true, maxAge: 60 } });
    const { response, sid } = await openPolling(h);
    expect(response.headers['set-cookie']).toEqual([`sess=${sid}; Max-Age=60; Path=/app; Secure; SameSite=Strict`]);
  });

  it('no cookie by default', async () => {
    const h = await startEngine();
    expect((await openPolling(h)).response.headers['set-cookie']).toBeUndefined();
  });

  it('compresses a payload of at least the threshold per Accept-Encoding (gzip preferred, then deflate)', async () => {
    const h = await startEngine({}, { echo: false });
    const { sid, session } = await opened(h);
    const text = 'x'.repeat(2000);
    session.send(text);
    const gz = await poll(h, sid, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
    expect(gunzipSync(gz.body).toString()).toBe('4' + text);
    session.send(text);
    const df = await poll(h, sid, { 'Accept-Encoding': 'deflate;q=1, gzip;q=0.5' });
    expect(df.headers['content-encoding']).toBe('deflate');
    expect(inflateSync(df.body).toString()).toBe('4' + text);
    session.send(text);
    const plain = await poll(h, sid, { 'Accept-Encoding': 'br, gzip;q=0' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe('4' + text);
  });

  it('does not compress below the threshold, or with httpCompression: false', async () => {
    const h = await startEngine({ httpCompression: { threshold: 100 } }, { echo: false });
    const { sid, session } = await opened(h);
    session.send('y'.repeat(50));
    expect((await poll(h, sid, { 'Accept-Encoding': 'gzip' })).headers['content-encoding']).toBeUndefined();
    session.send('y'.repeat(150));
    expect((await poll(h, sid, { 'Accept-Encoding': 'gzip' })).headers['content-encoding']).toBe('gzip');
    const off = await startEngine({ httpCompression: false }, { echo: false });
    const o = await opened(off);
    o.session.send('z'.repeat(5000));
    const res = await poll(off, o.sid, { 'Accept-Encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.text).toBe('4' + 'z'.repeat(5000));
  });
});

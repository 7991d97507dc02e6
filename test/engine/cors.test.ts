// The `cors` option (docs/internals/wire-protocol.md, "Options and defaults"): preflight, allowed and refused origins,
// credentials, Vary, and the error paths.
import { closeEngines, eio, openPolling, request, startEngine } from './helpers';

afterEach(closeEngines);

const OPEN = eio('/engine.io', { EIO: '4', transport: 'polling' });

describe('CORS', () => {
  it('answers a preflight with 204 and the CORS headers (origin *)', async () => {
    const h = await startEngine({ cors: { origin: '*' } });
    const res = await request(h.port, 'OPTIONS', OPEN, {
      headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-custom' },
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toBe('GET,HEAD,PUT,PATCH,POST,DELETE');
    expect(res.headers['access-control-allow-headers']).toBe('x-custom');
    expect(res.headers.vary).toBe('Access-Control-Request-Headers');
  });

  it('adds the headers to polling responses and to error responses', async () => {
    const h = await startEngine({ cors: { origin: '*' } });
    const { response } = await openPolling(h, { Origin: 'http://app.example' });
    expect(response.headers['access-control-allow-origin']).toBe('*');
    const refused = await request(h.port, 'GET', '/engine.io/?EIO=3&transport=polling', { headers: { Origin: 'http://x' } });
    expect(refused.status).toBe(400);
    expect(refused.headers['access-control-allow-origin']).toBe('*');
  });

  it.each([
    ['a string', 'http://good.example'],
    ['an array', ['http://other.example', 'http://good.example']],
    ['a RegExp', /^http:\/\/good\./],
  ])('reflects an allowed origin given as %s, with credentials and Vary: Origin', async (_kind, origin) => {
    const h = await startEngine({ cors: { origin: origin as string, credentials: true } });
    const { response } = await openPolling(h, { Origin: 'http://good.example' });
    expect(response.headers['access-control-allow-origin']).toBe('http://good.example');
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(response.headers.vary).toBe('Origin');
  });

  it('refuses an origin not in the list: no Access-Control-Allow-Origin (the browser blocks it)', async () => {
    const h = await startEngine({ cors: { origin: ['http://good.example'], credentials: true } });
    const { response } = await openPolling(h, { Origin: 'http://evil.example' });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers.vary).toBe('Origin');
    const preflight = await request(h.port, 'OPTIONS', OPEN, { headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'GET' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('a function origin decides per request; false skips CORS, an error is a bad request', async () => {
    const seen: (string | undefined)[] = [];
    const h = await startEngine({
      cors: {
        origin: (origin, cb) => {
          seen.push(origin);
          if (origin === 'http://boom.example') cb(new Error('lookup failed'));
          else cb(null, origin === 'http://good.example');
        },
        methods: ['GET', 'POST'],
        maxAge: 600,
        exposedHeaders: ['x-id'],
      },
    });
    const good = await request(h.port, 'OPTIONS', OPEN, { headers: { Origin: 'http://good.example', 'Access-Control-Request-Method': 'GET' } });
    expect(good.status).toBe(204);
    expect(good.headers['access-control-allow-origin']).toBe('http://good.example');
    expect(good.headers['access-control-allow-methods']).toBe('GET,POST');
    expect(good.headers['access-control-max-age']).toBe('600');
    expect(good.headers['access-control-expose-headers']).toBe('x-id');
    const bad = await request(h.port, 'OPTIONS', OPEN, { headers: { Origin: 'http://bad.example' } });
    expect(bad.status).toBe(400);
    expect(bad.text).toBe('{"code":2,"message":"Bad handshake method"}');
    expect(bad.headers['access-control-allow-origin']).toBeUndefined();
    const boom = await request(h.port, 'GET', OPEN, { headers: { Origin: 'http://boom.example' } });
    expect(boom.status).toBe(400);
    expect(boom.text).toBe('{"code":3,"message":"Bad request"}');
    expect(seen).toEqual(['http://good.example', 'http://bad.example', 'http://boom.example']);
  });

  it('a per-request delegate and preflightContinue/optionsSuccessStatus', async () => {
    const h = await startEngine({
      cors: (req, cb) => cb(null, { origin: req.headers['x-tenant'] === 'a' ? 'http://a.example' : false, optionsSuccessStatus: 200 }),
    });
    const a = await request(h.port, 'OPTIONS', OPEN, { headers: { 'x-tenant': 'a', Origin: 'http://a.example' } });
    expect(a.status).toBe(200);
    expect(a.headers['access-control-allow-origin']).toBe('http://a.example');
    const cont = await startEngine({ cors: { origin: '*', preflightContinue: true } });
    const passed = await request(cont.port, 'OPTIONS', OPEN, { headers: { Origin: 'http://x' } });
    expect(passed.status).toBe(400);
    expect(passed.text).toBe('{"code":2,"message":"Bad handshake method"}');
    expect(passed.headers['access-control-allow-origin']).toBe('*');
  });

  it('a preflight for a known sid is answered by CORS, not 500', async () => {
    const h = await startEngine({ cors: { origin: 'http://a.example' } });
    const { sid } = await openPolling(h);
    const res = await request(h.port, 'OPTIONS', eio('/engine.io', { EIO: '4', transport: 'polling', sid }), {
      headers: { Origin: 'http://a.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://a.example');
  });
});

// docs/internals/wire-protocol.md, "Client bundle": serving socket.io-client's dist/ files under the path (serveClient).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { startServer, closeAll } from '../support/harness';
import { closeEngines, request, startEngine } from './helpers';

afterEach(async () => {
  await closeEngines();
  await closeAll();
});

const clientPkg = require.resolve('socket.io-client/package.json');
const version = (JSON.parse(readFileSync(clientPkg, 'utf8')) as { version: string }).version;
const dist = join(dirname(clientPkg), 'dist');
const ETAG = `"${version}"`;

describe('serveClient', () => {
  it('serves socket.io.min.js with type, ETag and Cache-Control', async () => {
    const h = await startEngine({ path: '/socket.io', serveClient: true });
    const res = await request(h.port, 'GET', '/socket.io/socket.io.min.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers.etag).toBe(ETAG);
    expect(res.headers['cache-control']).toBe('public, max-age=0');
    expect(res.body.equals(readFileSync(join(dist, 'socket.io.min.js')))).toBe(true);
  });

  it('serves every listed file and its map; a query string is ignored', async () => {
    const h = await startEngine({ path: '/socket.io', serveClient: true });
    for (const file of ['socket.io.js', 'socket.io.msgpack.min.js', 'socket.io.esm.min.js']) {
      const res = await request(h.port, 'GET', `/socket.io/${file}?v=1`);
      expect(res.status).toBe(200);
      expect(res.body.equals(readFileSync(join(dist, file)))).toBe(true);
      const map = await request(h.port, 'GET', `/socket.io/${file}.map`);
      expect(map.status).toBe(200);
      expect(map.headers['content-type']).toBe('application/json; charset=utf-8');
    }
  });

  it('answers 304 to If-None-Match with the version, strong or weak', async () => {
    const h = await startEngine({ path: '/socket.io', serveClient: true });
    for (const tag of [ETAG, `W/${ETAG}`]) {
      const res = await request(h.port, 'GET', '/socket.io/socket.io.js', { headers: { 'If-None-Match': tag } });
      expect(res.status).toBe(304);
      expect(res.body.length).toBe(0);
      expect(res.headers.etag).toBe(ETAG);
    }
    const stale = await request(h.port, 'GET', '/socket.io/socket.io.js', { headers: { 'If-None-Match': '"0.0.1"' } });
    expect(stale.status).toBe(200);
  });

  it('compresses with br, gzip or deflate per Accept-Encoding, preferring br', async () => {
    const h = await startEngine({ path: '/socket.io', serveClient: true });
    const raw = readFileSync(join(dist, 'socket.io.min.js'));
    const br = await request(h.port, 'GET', '/socket.io/socket.io.min.js', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(raw)).toBe(true);
    const gz = await request(h.port, 'GET', '/socket.io/socket.io.min.js', { headers: { 'Accept-Encoding': 'gzip, deflate' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(raw)).toBe(true);
    const df = await request(h.port, 'GET', '/socket.io/socket.io.min.js', { headers: { 'Accept-Encoding': 'deflate' } });
    expect(df.headers['content-encoding']).toBe('deflate');
    expect(inflateSync(df.body).equals(raw)).toBe(true);
  });

  it('other file names fall through to the engine (400 JSON); nothing is served with serveClient off', async () => {
    const on = await startEngine({ path: '/socket.io', serveClient: true });
    const other = await request(on.port, 'GET', '/socket.io/socket.io.foo.js');
    expect(other.status).toBe(400);
    expect(other.text).toBe('{"code":0,"message":"Transport unknown"}');
    const off = await startEngine({ path: '/socket.io', serveClient: false });
    const res = await request(off.port, 'GET', '/socket.io/socket.io.js');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/json');
  });

  it('applies the cors option to the bundle', async () => {
    const h = await startEngine({ path: '/socket.io', serveClient: true, cors: { origin: 'http://app.example' } });
    const res = await request(h.port, 'GET', '/socket.io/socket.io.js', { headers: { Origin: 'http://app.example' } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://app.example');
  });

  it('works under a Server when serveClient: true is passed through', async () => {
    const h = await startServer({ serveClient: true });
    const res = await request(h.port, 'GET', '/socket.io/socket.io.js');
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(ETAG);
  });
});

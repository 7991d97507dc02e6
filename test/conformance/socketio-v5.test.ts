// Black-box checks in the shape of the official Engine.IO v4 / Socket.IO v5 protocol
// suite: raw fetch and raw WebSocket against the suite's server set-up.
import type WebSocket from 'ws';
import { openFrameReader, type FrameReader } from './frame-reader';
import { startSuiteServer, type SuiteServer } from './suite-server';

let server: SuiteServer;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  server = await startSuiteServer();
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await server.close();
});

function open(path: string): FrameReader {
  return openFrameReader(server.wsUrl + path, sockets);
}

async function initSocketIO(): Promise<FrameReader> {
  const conn = open('/socket.io/?EIO=4&transport=websocket');
  await conn.next(); // Engine.IO open
  conn.ws.send('40');
  await conn.next(); // CONNECT reply
  await conn.next(); // "auth" event
  return conn;
}

async function initPolling(): Promise<string> {
  const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
  return JSON.parse((await res.text()).slice(1)).sid as string;
}

describe('Engine.IO handshake', () => {
  it('opens a polling session with the expected open packet', async () => {
    const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body.startsWith('0')).toBe(true);
    const open = JSON.parse(body.slice(1));
    expect(Object.keys(open).sort()).toEqual(['maxPayload', 'pingInterval', 'pingTimeout', 'sid', 'upgrades']);
    expect(open).toMatchObject({ upgrades: ['websocket'], pingInterval: 300, pingTimeout: 200, maxPayload: 1000000 });
  });

  it.each([
    ['/socket.io/?transport=polling'],
    ['/socket.io/?EIO=abc&transport=polling'],
    ['/socket.io/?EIO=4'],
    ['/socket.io/?EIO=4&transport=abc'],
  ])('refuses %s with 400', async (path) => {
    expect((await fetch(server.url + path)).status).toBe(400);
  });

  it.each(['POST', 'PUT'])('refuses a %s handshake with 400', async (method) => {
    expect((await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { method })).status).toBe(400);
  });

  it('opens a WebSocket session with no upgrades', async () => {
    const conn = open('/socket.io/?EIO=4&transport=websocket');
    const open0 = JSON.parse((await conn.next()).toString().slice(1));
    expect(open0).toMatchObject({ upgrades: [], pingInterval: 300, pingTimeout: 200, maxPayload: 1000000 });
  });

  it.each(['/socket.io/?transport=websocket', '/socket.io/?EIO=abc&transport=websocket', '/socket.io/?EIO=4&transport=abc'])(
    'closes the WebSocket %s',
    async (path) => {
      const conn = open(path);
      await conn.closed;
    },
  );
});

describe('Engine.IO heartbeat', () => {
  it('pings over polling and accepts pongs', async () => {
    const sid = await initPolling();
    for (let i = 0; i < 3; i++) {
      const poll = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`);
      expect(poll.status).toBe(200);
      expect(await poll.text()).toBe('2');
      const push = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '3' });
      expect(push.status).toBe(200);
    }
  });

  it('closes a polling session on ping timeout', async () => {
    const sid = await initPolling();
    const closed = new Promise((resolve) => server.io.engine.once('connection', () => undefined).clients.get(sid)!.once('close', resolve));
    expect(await closed).toBe('ping timeout');
    expect((await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`)).status).toBe(400);
  });

  it('pings over WebSocket', async () => {
    const conn = open('/socket.io/?EIO=4&transport=websocket');
    await conn.next();
    for (let i = 0; i < 3; i++) {
      expect(await conn.next()).toBe('2');
      conn.ws.send('3');
    }
  });

  it('closes a silent WebSocket session', async () => {
    const conn = open('/socket.io/?EIO=4&transport=websocket');
    await conn.closed;
  });
});

describe('Engine.IO close', () => {
  it('a close packet over polling ends the session; the pending GET gets a noop', async () => {
    const sid = await initPolling();
    const [poll] = await Promise.all([
      fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`),
      fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '1' }),
    ]);
    expect(poll.status).toBe(200);
    expect(await poll.text()).toBe('6');
    expect((await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`)).status).toBe(400);
  });

  it('a close packet over WebSocket closes it', async () => {
    const conn = open('/socket.io/?EIO=4&transport=websocket');
    await conn.next();
    conn.ws.send('1');
    await conn.closed;
  });
});

describe('Engine.IO upgrade', () => {
  it('upgrades from polling to WebSocket', async () => {
    const sid = await initPolling();
    const conn = open(`/socket.io/?EIO=4&transport=websocket&sid=${sid}`);
    await new Promise((resolve) => conn.ws.once('open', resolve));
    conn.ws.send('2probe');
    expect(await conn.next()).toBe('3probe');
    conn.ws.send('5');
  });

  it('refuses polling requests and a second WebSocket after the upgrade', async () => {
    const sid = await initPolling();
    const conn = open(`/socket.io/?EIO=4&transport=websocket&sid=${sid}`);
    await new Promise((resolve) => conn.ws.once('open', resolve));
    const upgraded = new Promise((resolve) => server.io.engine.clients.get(sid)!.once('upgrade', resolve));
    conn.ws.send('2probe');
    conn.ws.send('5');
    await upgraded;
    expect((await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`)).status).toBe(400);
    const second = open(`/socket.io/?EIO=4&transport=websocket&sid=${sid}`);
    await second.closed;
  });
});

describe('Socket.IO connect', () => {
  it('connects to the main namespace and echoes auth', async () => {
    const conn = open('/socket.io/?EIO=4&transport=websocket');
    await conn.next();
    conn.ws.send('40{"token":"123"}');
    const reply = (await conn.next()).toString();
    expect(reply.startsWith('40')).toBe(true);
    expect(Object.keys(JSON.parse(reply.slice(2)))).toEqual(['sid']);
    expect(await conn.next()).toBe('42["auth",{"token":"123"}]');
  });

  it('connects to a custom namespace and echoes auth', async () => {
    const conn = open('/socket.io/?EIO=4&transport=websocket');
    await conn.next();
    conn.ws.send('40/custom,{"token":"abc"}');
    const reply = (await conn.next()).toString();
    expect(reply.startsWith('40/custom,')).toBe(true);
    expect(Object.keys(JSON.parse(reply.slice(10)))).toEqual(['sid']);
    expect(await conn.next()).toBe('42/custom,["auth",{"token":"abc"}]');
  });

  it('refuses an unknown namespace', async () => {
    const conn = open('/socket.io/?EIO=4&transport=websocket');
    await conn.next();
    conn.ws.send('40/random');
    expect(await conn.next()).toBe('44/random,{"message":"Invalid namespace"}');
  });

  it('closes on an invalid handshake', async () => {
    const conn = open('/socket.io/?EIO=4&transport=websocket');
    await conn.next();
    conn.ws.send('4abc');
    await conn.closed;
  });

  it('closes a connection that never connects a namespace (connectTimeout)', async () => {
    const conn = open('/socket.io/?EIO=4&transport=websocket');
    await conn.next();
    // Answer pings so only connectTimeout can close it.
    conn.ws.on('message', (d: Buffer) => d.toString() === '2' && conn.ws.send('3'));
    await conn.closed;
  });
});

describe('Socket.IO disconnect', () => {
  it('leaving the main namespace keeps the session (the next frame is a ping)', async () => {
    const conn = await initSocketIO();
    conn.ws.send('41');
    expect(await conn.next()).toBe('2');
  });

  it('connects then leaves a custom namespace; the main one still answers', async () => {
    const conn = await initSocketIO();
    conn.ws.send('40/custom');
    await conn.next();
    await conn.next();
    conn.ws.send('41/custom');
    conn.ws.send('42["message","message to main namespace"]');
    let frame = await conn.next();
    if (frame === '2') frame = await conn.next();
    expect(frame).toBe('42["message-back","message to main namespace"]');
  });
});

describe('Socket.IO messages', () => {
  async function nextNonPing(conn: FrameReader): Promise<string | Buffer> {
    for (;;) {
      const frame = await conn.next();
      if (frame !== '2') return frame;
      conn.ws.send('3');
    }
  }

  it('echoes a plain-text packet', async () => {
    const conn = await initSocketIO();
    conn.ws.send('42["message",1,"2",{"3":[true]}]');
    expect(await nextNonPing(conn)).toBe('42["message-back",1,"2",{"3":[true]}]');
  });

  it('echoes a packet with binary attachments', async () => {
    const conn = await initSocketIO();
    conn.ws.send('452-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    conn.ws.send(Uint8Array.from([1, 2, 3]));
    conn.ws.send(Uint8Array.from([4, 5, 6]));
    expect(await nextNonPing(conn)).toBe('452-["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    expect([...(await nextNonPing(conn) as Buffer)]).toEqual([1, 2, 3]);
    expect([...(await nextNonPing(conn) as Buffer)]).toEqual([4, 5, 6]);
  });

  it('acks a plain-text packet', async () => {
    const conn = await initSocketIO();
    conn.ws.send('42456["message-with-ack",1,"2",{"3":[false]}]');
    expect(await nextNonPing(conn)).toBe('43456[1,"2",{"3":[false]}]');
  });

  it('acks a packet with binary attachments', async () => {
    const conn = await initSocketIO();
    conn.ws.send('452-789["message-with-ack",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    conn.ws.send(Uint8Array.from([1, 2, 3]));
    conn.ws.send(Uint8Array.from([4, 5, 6]));
    expect(await nextNonPing(conn)).toBe('462-789[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    expect([...(await nextNonPing(conn) as Buffer)]).toEqual([1, 2, 3]);
    expect([...(await nextNonPing(conn) as Buffer)]).toEqual([4, 5, 6]);
  });

  it('closes the session on an invalid event name', async () => {
    const conn = await initSocketIO();
    conn.ws.send('42["disconnect"]');
    await conn.closed;
  });

  it('closes the session on a packet for a namespace it did not connect', async () => {
    const conn = await initSocketIO();
    conn.ws.send('42/custom,["message"]');
    await conn.closed;
  });
});

// The polling -> WebSocket upgrade (docs/internals/wire-protocol.md, "Upgrade") driven by random clients: probes,
// upgrade packets, junk and early closes on the candidate WebSocket, interleaved with held
// GETs and POSTs on the polling side. After each run: every request answered, the session
// gone once the client is, nothing leaked; afterwards an official client is still answered.
import { request } from 'node:http';
import fc from 'fast-check';
import WebSocket from 'ws';
import {
  assertAnswered,
  closeEverything,
  expectNothingLeaked,
  httpExchange,
  installEcho,
  live,
  pollingOpen,
  untilNoSessions,
  within,
  type Live,
} from './support';
import { fuzzParams, installFuzzApp } from './fuzz-arbitraries';

let l: Live;

beforeAll(async () => {
  l = await live({
    connectTimeout: 2000,
    pingInterval: 20000,
    pingTimeout: 300,
    upgradeTimeout: 500,
  });
  installFuzzApp(l.io);
  installEcho(l.io);
});

afterAll(closeEverything);

type Step =
  | { on: 'ws'; frame: string | Buffer }
  | { on: 'ws-close'; terminate: boolean }
  | { on: 'get' }
  | { on: 'post'; body: string };

const wsFrame = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('2probe', '5', '2probe', '5') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '3',
      '3probe',
      '2',
      '1',
      '6',
      '40',
      '42["echo",1]',
      '421["echo","x"]',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)) },
);

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: wsFrame.map((frame) => ({ on: 'ws' as const, frame })) },
  {
    weight: 1,
    arbitrary: fc.boolean().map((terminate) => ({ on: 'ws-close' as const, terminate })),
  },
  { weight: 2, arbitrary: fc.constant({ on: 'get' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('42["echo",2]', '421["join","r"]', '3', '6', '1', 'junk')
      .map((body) => ({ on: 'post' as const, body })),
  },
);

function holdGet(path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: l.port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

async function runUpgrade(steps: Step[]): Promise<void> {
  const sid = await pollingOpen(l);
  const path = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
  await httpExchange(l, { method: 'POST', path, body: '40' });
  const ws = new WebSocket(
    `ws://127.0.0.1:${l.port}/socket.io/?EIO=4&transport=websocket&sid=${sid}`,
  );
  ws.on('error', () => undefined);
  const wsClosed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  await within(
    5000,
    'the candidate WebSocket',
    Promise.race([new Promise((resolve) => ws.once('open', resolve)), wsClosed]),
  );
  const held: Promise<unknown>[] = [];
  for (const s of steps) {
    if (s.on === 'ws') {
      if (ws.readyState === WebSocket.OPEN) ws.send(s.frame);
    } else if (s.on === 'ws-close') {
      if (s.terminate) ws.terminate();
      else ws.close();
    } else if (s.on === 'get') {
      held.push(holdGet(path));
    } else {
      await httpExchange(l, { method: 'POST', path, body: s.body });
    }
  }
  // The client goes away: on whichever transport the session is now, and on the other too.
  if (ws.readyState === WebSocket.OPEN) ws.send('1');
  await httpExchange(l, { method: 'POST', path, body: '1' });
  ws.terminate();
  await within(5000, 'the candidate to close', wsClosed);
  await untilNoSessions(l.io);
  await within(5000, 'held GETs', Promise.all(held));
  expectNothingLeaked(l.io);
}

it('survives random clients during the polling -> WebSocket upgrade, leaking nothing', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), runUpgrade),
    fuzzParams(),
  );
  await assertAnswered(l, { transports: ['polling', 'websocket'] });
});

// Random and mutated payloads over HTTP long-polling (raw POST bodies, overlapping GETs,
// wrong content types) and random requests to the endpoint, thrown at a live server.
// After each run: every request answered, no crash, no unhandled rejection, nothing leaked;
// afterwards an official polling client is still answered. Run count: FUZZ_RUNS.
import { request } from 'node:http';
import fc from 'fast-check';
import {
  assertAnswered,
  closeEverything,
  expectNothingLeaked,
  httpExchange,
  installEcho,
  live,
  pollingOpen,
  recordFaults,
  untilNoSessions,
  within,
  type Live,
} from './support';
import {
  endpointRequest,
  fuzzParams,
  installFuzzApp,
  pollingSession,
  type PollingStep,
} from './fuzz-arbitraries';

let l: Live;
let recorder: ReturnType<typeof recordFaults>;

beforeAll(async () => {
  recorder = recordFaults();
  // pingTimeout also bounds a graceful close whose client never polls again (a vanished fuzz client).
  l = await live({
    connectTimeout: 2000,
    maxHttpBufferSize: 4096,
    pingInterval: 20000,
    pingTimeout: 300,
  });
  installFuzzApp(l.io);
  installEcho(l.io);
});

afterAll(async () => {
  recorder.stop();
  await closeEverything();
});

const NO_STACK = /\bat .+:\d+:\d+|\.ts:\d+|node:internal/;

/** A GET that the server may hold until it has something to send. */
function holdGet(l: Live, path: string) {
  const req = request({ host: '127.0.0.1', port: l.port, path, agent: false });
  const done = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
  });
  req.end();
  return { done };
}

async function runSession(steps: PollingStep[]): Promise<void> {
  const sid = await pollingOpen(l);
  const path = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
  const held: ReturnType<typeof holdGet>[] = [];
  for (const step of steps) {
    if (step.kind === 'get') {
      held.push(holdGet(l, path));
      continue;
    }
    const res = await httpExchange(l, {
      method: 'POST',
      path,
      body: step.body,
      headers: { 'Content-Type': step.contentType },
    });
    expect([200, 400, 413]).toContain(res.status);
    expect(res.body).not.toMatch(NO_STACK);
  }
  // End the session the way a client does; if it is already gone this gets 400 code 1.
  const bye = await httpExchange(l, {
    method: 'POST',
    path,
    body: '1',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
  });
  expect([200, 400]).toContain(bye.status);
  await untilNoSessions(l.io);
  // Every held GET is answered once the session is over: none hangs.
  const answers = await within(5000, 'held GETs', Promise.all(held.map((h) => h.done)));
  for (const a of answers) expect(a.body).not.toMatch(NO_STACK);
  expect(recorder.faults).toEqual([]);
  expectNothingLeaked(l.io);
}

it('survives random and mutated payloads over polling, leaking nothing', async () => {
  await fc.assert(fc.asyncProperty(pollingSession, runSession), fuzzParams());
  await assertAnswered(l, { transports: ['polling'] });
});

it('answers random requests to the endpoint with a status and an Engine.IO error body, never a stack', async () => {
  await fc.assert(
    fc.asyncProperty(endpointRequest, async ({ method, query, body }) => {
      const qs = query
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        .join('&');
      const res = await httpExchange(l, {
        method,
        path: `/socket.io/?${qs}`,
        body: method === 'GET' || method === 'HEAD' ? undefined : body,
      });
      expect([200, 400, 403, 500]).toContain(res.status);
      expect(res.body).not.toMatch(NO_STACK);
      if ((res.status === 400 || res.status === 403) && method !== 'HEAD' && res.body !== '') {
        const parsed = JSON.parse(res.body) as { code: unknown; message: unknown };
        expect(typeof parsed.code).toBe('number');
        expect(typeof parsed.message).toBe('string');
      }
      if (res.status === 200 && res.body.startsWith('0{')) {
        const sid = (JSON.parse(res.body.slice(1)) as { sid: string }).sid;
        await httpExchange(l, {
          method: 'POST',
          path: `/socket.io/?EIO=4&transport=polling&sid=${sid}`,
          body: '1',
        });
      }
      await untilNoSessions(l.io);
      expect(recorder.faults).toEqual([]);
      expectNothingLeaked(l.io);
    }),
    fuzzParams(),
  );
  await assertAnswered(l, { transports: ['polling'] });
});

// Random and mutated Engine.IO / Socket.IO frames (text and binary) over raw WebSockets,
// thrown at a live server. After each run: no crash, no unhandled rejection, every session,
// socket and room forgotten once the client is gone; afterwards an official client is
// still answered. Run count: FUZZ_RUNS (docs/security.md, "Fuzzing").
import fc from 'fast-check';
import {
  assertAnswered,
  closeEverything,
  expectNothingLeaked,
  installEcho,
  live,
  rawWs,
  recordFaults,
  untilNoSessions,
  within,
  type Live,
} from './support';
import { fuzzParams, installFuzzApp, wsFrame, wsSession } from './fuzz-arbitraries';

let l: Live;
let recorder: ReturnType<typeof recordFaults>;

beforeAll(async () => {
  recorder = recordFaults();
  l = await live({ connectTimeout: 2000, maxHttpBufferSize: 4096 });
  installFuzzApp(l.io);
  installEcho(l.io);
});

afterAll(async () => {
  recorder.stop();
  await closeEverything();
});

async function throwAtServer(frames: (string | Buffer)[]): Promise<void> {
  const raw = rawWs(l);
  await raw.opened;
  for (const frame of frames) {
    if (raw.ws.readyState !== raw.ws.OPEN) break;
    raw.ws.send(frame);
  }
  // A close handshake, not a reset: the server reads every frame before the close frame.
  if (raw.ws.readyState === raw.ws.OPEN) raw.ws.close();
  await within(5000, 'the client close', raw.closed);
  await untilNoSessions(l.io);
  expect(recorder.faults).toEqual([]);
  expectNothingLeaked(l.io);
}

it('survives random and mutated frames over WebSocket, leaking nothing', async () => {
  await fc.assert(fc.asyncProperty(wsSession, throwAtServer), fuzzParams());
  await assertAnswered(l);
});

it('survives pure binary and junk-only sessions', async () => {
  const junk = fc.array(
    wsFrame.filter((f) => typeof f !== 'string' || !f.startsWith('40')),
    { minLength: 1, maxLength: 8 },
  );
  await fc.assert(fc.asyncProperty(junk, throwAtServer), fuzzParams());
  await assertAnswered(l);
});

it('survives oversized frames (maxHttpBufferSize)', async () => {
  const big = fc
    .tuple(fc.constantFrom('4', '42["echo","', ''), fc.integer({ min: 4097, max: 20000 }))
    .map(([p, n]) => ['40', p + 'a'.repeat(n)]);
  await fc.assert(fc.asyncProperty(big, throwAtServer), {
    ...fuzzParams(),
    numRuns: Math.min(20, fuzzParams().numRuns ?? 20),
  });
  await assertAnswered(l);
});

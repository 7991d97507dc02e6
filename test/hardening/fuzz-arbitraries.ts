// Generators for the wire fuzz tests: random bytes, random text, well-formed Engine.IO and
// Socket.IO packets, and mutations of them (docs/internals/wire-protocol.md, "Engine.IO packets", "Encoding and decoding", "Binary attachments"). Plus the server
// every fuzz run is thrown at, and the run count (FUZZ_RUNS, docs/security.md).
import fc from 'fast-check';
import type { Server, Socket } from '../../src/server';

/** Runs per property: small in `npm test`; `FUZZ_RUNS=5000 npx jest test/hardening/fuzz` for a long run. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 60);
/** A fixed seed replays a failure: `FUZZ_SEED=<seed printed by fast-check>`. */
export const FUZZ_SEED =
  process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

export function fuzzParams(): fc.Parameters<unknown> {
  return { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true };
}

const NAMESPACES = ['/', '/', '/', '/chat', '/dyn-1', '/dyn-22', '/nope', '/chat?x=1', ''] as const;
const EVENTS = [
  'echo',
  'join',
  'leave',
  'throw',
  'broadcast',
  'disconnect',
  'connect',
  'x',
] as const;

const nspPart = fc.constantFrom(...NAMESPACES).map((n) => (n === '/' || n === '' ? '' : n + ','));
const ackId = fc
  .option(fc.nat({ max: 1_000_000_000 }), { nil: undefined })
  .map((id) => (id === undefined ? '' : String(id)));
const placeholder = fc.nat({ max: 12 }).map((num) => ({ _placeholder: true, num }));
const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: placeholder },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { __proto__: null, polluted: 1 },
      JSON.parse('{"__proto__":{"polluted":1}}'),
      { constructor: { prototype: { polluted: 1 } } },
    ),
  },
);

/** A Socket.IO packet as text, mostly well-formed. */
const socketIoText: fc.Arbitrary<string> = fc
  .record({
    // Mostly EVENT and ACK, so runs get past the first packet; the rest still come up.
    type: fc.oneof(
      { weight: 8, arbitrary: fc.constant('2') },
      { weight: 2, arbitrary: fc.constant('3') },
      { weight: 2, arbitrary: fc.constantFrom('0', '1', '5', '6') },
      { weight: 1, arbitrary: fc.constantFrom('4', '7', '9') },
    ),
    attachments: fc.option(fc.nat({ max: 12 }), { nil: undefined }),
    nsp: nspPart,
    id: ackId,
    event: fc.constantFrom(...EVENTS),
    args: fc.array(jsonish, { maxLength: 3 }),
    auth: fc.option(jsonish, { nil: undefined }),
  })
  .map(({ type, attachments, nsp, id, event, args, auth }) => {
    const att =
      attachments === undefined || (type !== '5' && type !== '6') ? '' : `${attachments}-`;
    if (type === '0') return `${type}${nsp}${auth === undefined ? '' : JSON.stringify(auth)}`;
    if (type === '1') return `${type}${nsp}`;
    if (type === '3' || type === '6') return `${type}${att}${nsp}${id}${JSON.stringify(args)}`;
    return `${type}${att}${nsp}${id}${JSON.stringify([event, ...args])}`;
  });

/** Applies a few character edits: insert, delete or replace at random places. */
function mutate(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.record({
    at: fc.nat(),
    op: fc.constantFrom('insert', 'delete', 'replace'),
    ch: fc.string({ minLength: 1, maxLength: 3, unit: 'binary' }),
  });
  return fc.tuple(base, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([s, edits]) => {
    let out = s;
    for (const e of edits) {
      const at = out.length === 0 ? 0 : e.at % (out.length + 1);
      if (e.op === 'insert') out = out.slice(0, at) + e.ch + out.slice(at);
      else if (e.op === 'delete') out = out.slice(0, at) + out.slice(at + 1);
      else out = out.slice(0, at) + e.ch + out.slice(at + e.ch.length);
    }
    return out;
  });
}

/** An Engine.IO text packet: type digit (sometimes out of range) and a Socket.IO packet or junk after it. */
const engineText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: socketIoText.map((s) => '4' + s) },
  { weight: 2, arbitrary: mutate(socketIoText.map((s) => '4' + s)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '0',
      '1',
      '2',
      '3',
      '5',
      '6',
      '2probe',
      '3probe',
      '5junk',
      '7',
      '9',
      '',
      '40',
      '40/chat,{"token":"t"}',
      '42["join","r1"]',
      '421["echo","a"]',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', 'b'),
        fc.string({ maxLength: 30 }),
      )
      .map(([d, s]) => d + s),
  },
);

/** One WebSocket frame: text (an Engine.IO packet or junk) or binary (an attachment or junk). */
export const wsFrame: fc.Arbitrary<string | Buffer> = fc.oneof(
  { weight: 8, arbitrary: engineText },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)) },
);

/** A WebSocket session's worth of frames; usually starts by connecting to a namespace. */
export const wsSession: fc.Arbitrary<(string | Buffer)[]> = fc
  .tuple(
    fc.constantFrom<string[]>([], ['40'], ['40', '40/chat,{"token":"t"}'], ['40/dyn-1,']),
    fc.array(wsFrame, { minLength: 1, maxLength: 12 }),
  )
  .map(([prefix, frames]) => [...prefix, ...frames]);

/** One packet of a polling payload: text as on WebSocket, or `b<base64>` binary (sometimes bad base64). */
const pollingPacket: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: engineText.map((t) => t.replace(/\x1e/g, '')) },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 32 }).map((a) => 'b' + Buffer.from(a).toString('base64')),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((s) => 'b' + s) },
);

/** A POST body: packets joined by the record separator, or raw junk. */
export const pollingBody: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.array(pollingPacket, { minLength: 1, maxLength: 6 }).map((ps) => ps.join('\x1e')),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 80, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.constant('') },
);

/** What a polling client does next. */
export type PollingStep = { kind: 'post'; body: string; contentType: string } | { kind: 'get' };

export const pollingSession: fc.Arbitrary<PollingStep[]> = fc
  .tuple(
    fc.constantFrom<string[]>([], ['40'], ['40\x1e40/chat,{"token":"t"}']),
    fc.array(
      fc.oneof(
        {
          weight: 5,
          arbitrary: fc.record({
            kind: fc.constant('post' as const),
            body: pollingBody,
            contentType: fc.constantFrom(
              'text/plain;charset=UTF-8',
              'text/plain;charset=UTF-8',
              'application/octet-stream',
              'application/json',
            ),
          }),
        },
        { weight: 1, arbitrary: fc.constant({ kind: 'get' as const }) },
      ),
      { minLength: 1, maxLength: 6 },
    ),
  )
  .map(([prefix, steps]) => [
    ...prefix.map((body): PollingStep => ({
      kind: 'post',
      body,
      contentType: 'text/plain;charset=UTF-8',
    })),
    ...steps,
  ]);

/** A request to the Engine.IO endpoint with a random method and query. */
export const endpointRequest = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH'),
  query: fc.array(
    fc.tuple(
      fc.constantFrom(
        'EIO',
        'transport',
        'sid',
        't',
        'j',
        'b64',
        '__proto__',
        'constructor',
        '__proto__[x]',
        'x',
      ),
      fc.oneof(
        fc.constantFrom('4', '3', 'polling', 'websocket', 'webtransport', '', '%zz', 'unknown'),
        fc.string({ maxLength: 10 }),
      ),
    ),
    { maxLength: 5 },
  ),
  body: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
});

/**
 * The application every fuzz run is thrown at: namespaces, middleware, rooms, acks, a throwing
 * listener. (A rejecting async listener is faults.test.ts's business: it is the app's rejection.)
 */
export function installFuzzApp(io: Server): void {
  const app = (socket: Socket) => {
    socket.on('echo', (...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (typeof ack === 'function') ack(...args.slice(0, -1));
    });
    socket.on('join', (room: unknown) => {
      if (typeof room === 'string') void socket.join(room);
    });
    socket.on('leave', (room: unknown) => {
      if (typeof room === 'string') void socket.leave(room);
    });
    socket.on('broadcast', (value: unknown) => socket.broadcast.emit('broadcast', value));
    socket.on('throw', () => {
      throw new Error('listener failed');
    });
    socket.on('error', () => undefined);
  };
  io.on('connection', app);
  io.of('/chat').use((socket, next) =>
    socket.handshake.auth.token === 't' ? next() : next(new Error('not authorized')),
  );
  io.of('/chat').on('connection', app);
  io.of(/^\/dyn-\d+$/).on('connection', app);
}

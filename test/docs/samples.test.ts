// Every runnable sample of the docs is started and exercised with a client, the way a reader
// runs it — not only type-checked (code-blocks.test.ts) — so that a page cannot show a server
// that does not start or does not do what its comments say. A sample is runnable when its
// block listens (or gives createApp a port); each has an exercise below, or a reason in
// NOT_RUN. A new runnable block without either fails the first test. Conventions:
// docs/README.md, "Code blocks".
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Socket as EngineSocket } from 'engine.io-client';
import type { Socket } from 'socket.io-client';
import { Clients, type ClientOptions } from '../samples/clients';
import { describeWithRedis, requireRedis } from '../samples/redis';
import {
  findCandidates,
  layOutPage,
  startSample,
  type RunningSample,
  type StartOptions,
} from './samples';
import { ROOT } from './typecheck';

/** Starting compiles src/ on load: seconds alone, far more on a loaded 2-core machine. */
const START_MS = 60_000;
const ACK_MS = 5_000;
jest.setTimeout(120_000);

/** What an exercise gets: the running sample and clients that are closed after it. */
interface Exercise {
  readonly sample: RunningSample;
  /** A connected socket.io client of `namespace` (websocket, no reconnection). */
  connect(namespace?: string, options?: ClientOptions): Promise<Socket>;
  /** The `connect_error` of a client the sample must refuse. */
  refused(namespace?: string, options?: ClientOptions): Promise<Error & { data?: unknown }>;
}

interface Runnable extends StartOptions {
  /** Needs Redis at 127.0.0.1:6379 (test/samples/redis.ts: under CI=true always run). */
  readonly redis?: boolean;
  /**
   * Reviewed list of samples known to fail, each with the reason. The test is then expected
   * to fail (jest's `it.failing`): once the sample works, jest says so and the entry goes.
   */
  readonly knownFailure?: string;
  exercise(x: Exercise): Promise<void>;
}

/** The first argument of the next `event` on `socket`, within `ms`. */
function next<T>(socket: Socket, event: string, ms = ACK_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${ms} ms`)), ms);
    socket.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

const ask = (socket: Socket, event: string, ...args: unknown[]): Promise<unknown> =>
  socket.timeout(ACK_MS).emitWithAck(event, ...args);

/** Two clients of the main namespace in `lobby`: one's `chat` reaches the other, the sender gets 'delivered'. */
async function lobbyChat({ connect }: Exercise): Promise<void> {
  const ann = await connect('/');
  const bob = await connect('/');
  const heard = next<string>(bob, 'chat');
  expect(await ask(ann, 'chat', 'hello')).toBe('delivered');
  expect(await heard).toBe('hello');
}

/** The runnable samples, by page and file (or `page #n`, the page's n-th program that starts a server). */
const RUNNABLE: Record<string, Runnable> = {
  'README.md #1': { exercise: lobbyChat },
  'docs/socket-layer.md #1': { exercise: lobbyChat },
  'docs/socket-layer.md #3': {
    async exercise({ connect }) {
      // connectionStateRecovery is on: the CONNECT reply carries a session id (the client's
      // private _pid) to recover with. A recovery itself also needs a packet with an offset
      // to resume from (a broadcast), which this sample never sends; a dropped client comes
      // back with a new session then, as in socket.io.
      const client = await connect('/', { reconnection: true, reconnectionDelay: 100 });
      expect(client.recovered).toBe(false);
      expect(typeof (client as unknown as { _pid?: unknown })._pid).toBe('string');
      const back = next(client, 'connect', 10_000);
      client.io.engine.close(); // a dropped connection, seen from the server: transport close
      await back;
      expect(client.connected).toBe(true);
    },
  },

  'docs/getting-started.md src/main.ts': {
    env: { PORT: '3000' },
    async exercise({ sample, connect, refused }) {
      await sample.waitForOutput(/Listening on port 3000/);
      const echo = await connect('/');
      expect(await ask(echo, 'echo', { text: 'hi' })).toEqual({ text: 'hi' });
      expect((await refused('/chat')).data).toEqual({
        code: 'NAME_REQUIRED',
        message: 'Connect with auth: { name }',
      });
      const ann = await connect('/chat', { auth: { name: 'ann' } });
      const bob = await connect('/chat', { auth: { name: 'bob' } });
      expect(await ask(ann, 'room:join', { room: 'lobby' })).toEqual([]);
      expect(await ask(bob, 'room:join', { room: 'lobby' })).toEqual([]);
      const heard = next(bob, 'chat:message');
      const sent = await ask(ann, 'chat:message', { room: 'lobby', text: 'hello' });
      expect(sent).toMatchObject({ room: 'lobby', from: 'ann', text: 'hello' });
      expect(await heard).toEqual(sent);
      expect(await ask(ann, 'chat:message', { room: 'other', text: 'x' })).toMatchObject({
        error: { code: 'NOT_A_MEMBER' },
      });
    },
  },

  'docs/gateways.md src/main.ts': {
    async exercise({ sample, connect }) {
      await sample.waitForOutput(/listening on \d+/);
      const client = await connect('/echo');
      expect(await ask(client, 'echo', { a: 1 })).toEqual({ a: 1 });
    },
  },

  'docs/dependency-injection.md src/main.ts': {
    async exercise({ sample, connect }) {
      await sample.waitForOutput(/welcome true/);
      const ann = await connect('/');
      expect(await ask(ann, 'draft:add', 'line 1')).toEqual(['line 1']);
      expect(await ask(ann, 'draft:add', 'line 2')).toEqual(['line 1', 'line 2']);
      expect(await ask(ann, 'draft:send')).toBe(1);
      const bob = await connect('/'); // a draft of its own
      expect(await ask(bob, 'draft:add', 'other')).toEqual(['other']);
    },
  },

  'docs/dependency-injection.md src/modules.ts': {
    async exercise({ connect }) {
      const client = await connect('/');
      expect(await ask(client, 'hello')).toMatch(/^hello there, it is \d+$/);
    },
  },

  'docs/handlers-and-replies.md src/notes.gateway.ts': {
    async exercise({ connect }) {
      const client = await connect('/');
      expect(await ask(client, 'note:add', { text: 'milk' })).toBe(1);
      const listed = next<string[]>(client, 'note:list');
      client.emit('note:list');
      expect(await listed).toEqual([`${client.id}: milk`]);
      expect(await ask(client, 'note:count', 5)).toEqual({ from: client.id, payload: 5 });
      expect(await ask(client, 'note:slow')).toBe('done later');
    },
  },

  'docs/lifecycle.md src/main.ts': {
    async exercise({ sample, connect }) {
      await sample.waitForOutput(/ready on \/presence/);
      const ann = await connect('/presence', { auth: { token: 'ann' } });
      await connect('/presence');
      expect(await ask(ann, 'whoami', {})).toEqual(['ann', 'guest']);
    },
  },

  'docs/errors.md src/main.ts': {
    async exercise({ connect }) {
      const client = await connect('/');
      expect(await ask(client, 'room:enter')).toEqual({
        error: { code: 'ROOM_FULL', message: 'Room is full', details: { capacity: 10 } },
      });
      expect(await ask(client, 'upload')).toEqual({
        error: { code: 'QUOTA', message: 'Quota exceeded', details: { remaining: 0 } },
      });
      expect(await ask(client, 'crash')).toEqual({
        error: { code: 'WG_ERR_INTERNAL', message: 'Internal server error' },
      });
    },
  },

  'docs/guards.md src/main.ts': {
    async exercise({ connect, refused }) {
      expect((await refused('/admin', { auth: { token: 'nope' } })).data).toMatchObject({
        code: 'UNAUTHENTICATED',
      });
      const ann = await connect('/admin', { auth: { token: 't1' } });
      expect(await ask(ann, 'ban', 'bob')).toBe('banned bob');
    },
  },

  'docs/rooms.md src/main.ts': {
    async exercise({ connect }) {
      const ann = await connect('/chat', { auth: { userId: 1 } });
      const joined = next<string>(ann, 'room:joined');
      expect(await ask(ann, 'room:join', { roomId: 'games' })).toBe(true);
      expect(await joined).toBe(ann.id);
      expect(await ask(ann, 'room:join', { roomId: 'Not Valid' })).toMatchObject({
        error: { code: 'WG_ERR_VALIDATION' },
      });
    },
  },

  'docs/validation-and-pipes.md src/main.ts': {
    async exercise({ connect }) {
      const client = await connect('/orders');
      const order = { customer: 'ann', items: [{ sku: 'a1', quantity: 2 }] };
      expect(await ask(client, 'order', order)).toBe(1);
      expect(
        await ask(client, 'order', { ...order, items: [{ sku: 'a1', quantity: 0 }] }),
      ).toMatchObject({
        error: { code: 'WG_ERR_VALIDATION' },
      });
      expect(await ask(client, 'order:lenient', { ...order, extra: true })).toEqual(order);
      expect(await ask(client, 'page', { page: '3' })).toBe(30);
    },
  },

  'docs/migrating-from-nestjs.md src/main.ts': {
    env: { API_KEY: 'key-1' },
    async exercise({ connect, refused }) {
      await refused('/tickets', { auth: { apiKey: 'wrong' } });
      const agent = await connect('/tickets', { auth: { apiKey: 'key-1' } });
      const author = await connect('/tickets', { auth: { apiKey: 'key-1' } });
      const created = next(agent, 'ticket:created');
      expect(await ask(author, 'ticket:create', { title: 'Printer on fire' })).toEqual({
        id: 1,
        title: 'Printer on fire',
      });
      expect(await created).toEqual({ id: 1, title: 'Printer on fire' });
    },
  },

  'docs/migrating-from-nestjs.md src/scaled.ts': {
    redis: true,
    call: 'startScaled',
    env: { API_KEY: 'key-1' },
    async exercise({ connect }) {
      const agent = await connect('/tickets', { auth: { apiKey: 'key-1' } });
      const author = await connect('/tickets', { auth: { apiKey: 'key-1' } });
      const created = next(agent, 'ticket:created');
      expect(await ask(author, 'ticket:create', { title: 'Scaled' })).toEqual({
        id: 1,
        title: 'Scaled',
      });
      expect(await created).toEqual({ id: 1, title: 'Scaled' });
    },
  },

  'docs/migrating-from-socket-io.md #1': {
    async exercise({ connect, refused }) {
      expect((await refused('/')).message).toBe('unauthorized');
      const client = await connect('/', { auth: { token: 'u1' } });
      expect(await ask(client, 'message', 'hi')).toEqual({ ok: true });
      const team = await connect('/team-7', { auth: { token: 'u1' } }).catch(() => undefined);
      // io.use() guards the main namespace only; /team-7 matches the dynamic namespace.
      expect(team).toBeDefined();
    },
  },

  'docs/scaling.md src/main.ts': {
    redis: true,
    call: 'main',
    async exercise({ connect }) {
      const ann = await connect('/chat');
      const bob = await connect('/chat');
      const heard = next<string>(bob, 'message');
      ann.emit('message', 'hello');
      expect(await heard).toBe('hello');
    },
  },

  'docs/transports.md #1': {
    async exercise({ sample }) {
      // The engine alone: Engine.IO messages, no Socket.IO packets.
      const url = sample.url(3000);
      const socket = new EngineSocket(url, { transports: ['websocket'] });
      try {
        const echoed = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no echo within 5 s')), ACK_MS);
          socket.on('open', () => socket.send('ping?'));
          socket.on('message', (data) => {
            clearTimeout(timer);
            resolve(String(data));
          });
          socket.on('error', reject);
        });
        expect(echoed).toBe('ping?');
      } finally {
        socket.close();
      }
    },
  },
};

/** Samples that look runnable but are not run, each with the reason (reviewed). */
const NOT_RUN: Record<string, string> = {
  'docs/migrating-from-socket-io.md #2':
    'needs PostgreSQL and listens on a fixed port; the same set-up (@socket.io/postgres-adapter on a pg Pool) runs in test/ecosystem/postgres-adapter.test.ts',
  'docs/socket-layer.md #2':
    'needs PostgreSQL and listens on a fixed port; the same set-up (@socket.io/postgres-adapter on a pg Pool) runs in test/ecosystem/postgres-adapter.test.ts',
  'docs/scaling.md src/sticky.ts':
    'a sketch inside a list item: exports start(port) that forks one worker per CPU; it needs one CPU per worker and a Redis, and its ChatGateway is scaling.md src/main.ts, which runs above',
};

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return markdownFiles(full);
    return name.endsWith('.md') ? [full] : [];
  });
}

const PAGES = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))]
  .map((f) => relative(ROOT, f))
  .sort();
const CANDIDATES = findCandidates(PAGES);
// Inside the repository so that node_modules resolves; one folder per process.
const OUT = join(ROOT, '.docs-examples');

describe('docs samples: the list', () => {
  it('names every block that starts a server: run below, or not run for a stated reason', () => {
    const listed = new Set([...Object.keys(RUNNABLE), ...Object.keys(NOT_RUN)]);
    expect(CANDIDATES.map((c) => c.id).filter((id) => !listed.has(id))).toEqual([]);
    const found = new Set(CANDIDATES.map((c) => c.id));
    expect([...listed].filter((id) => !found.has(id))).toEqual([]);
  });

  it.each(Object.entries(NOT_RUN))('not run: %s (%s)', () => undefined);
});

afterAll(() => {
  // Like examples.test.ts: the shared folder goes once no run uses it.
  if (existsSync(OUT) && readdirSync(OUT).length === 0)
    rmSync(OUT, { recursive: true, force: true });
});

for (const [index, candidate] of CANDIDATES.entries()) {
  const runnable = RUNNABLE[candidate.id];
  if (runnable === undefined) continue;
  const describeIt = runnable.redis === true ? describeWithRedis : describe;
  describeIt(`docs sample ${candidate.id}`, () => {
    let dir: string;
    let sample: RunningSample | undefined;
    const clients = new Clients();

    beforeAll(() => {
      if (runnable.redis === true) requireRedis();
      // One recursive mkdir: examples.test.ts removes OUT when it finds it empty.
      dir = join(OUT, `samples-${process.pid}-${index}`);
      mkdirSync(dir, { recursive: true });
    });

    afterEach(async () => {
      clients.closeAll();
      await sample?.stop();
    });

    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const title = 'starts and answers a client as the page says';
    const body = async (): Promise<void> => {
      const entry = layOutPage(dir, candidate);
      sample = await startSample(entry, runnable, START_MS);
      const running = sample;
      await runnable.exercise({
        sample: running,
        connect: (nsp = '/', options = {}) => clients.connect(running.url() + nsp, options),
        refused: (nsp = '/', options = {}) => clients.refused(running.url() + nsp, options),
      });
    };
    if (runnable.knownFailure !== undefined)
      it.failing(`${title} — KNOWN TO FAIL: ${runnable.knownFailure}`, body);
    else it(title, body);
  });
}

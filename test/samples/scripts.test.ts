// The samples run the way samples/README.md says: `npm run sample:<name>` compiles them
// (tsconfig.samples.json) against the built package and starts them. These tests run the
// npm scripts themselves, as child processes on free ports of 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Sample } from '../../samples/dashboard/metrics';
import { Clients, nextEvents } from './clients';
import { describeWithRedis, requireRedis } from './redis';

const ROOT = resolve(__dirname, '..', '..');
const STARTUP_MS = 60_000; // tsc compiles the samples first

jest.setTimeout(90_000);

interface Script {
  child: ChildProcess;
  output: string[];
  /** Resolves with the first match of `pattern` in a line of the script's output. */
  line(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

const running: Script[] = [];

/** `npm run <name>` in its own process group, so that stopping it stops node under npm too. */
function npmRun(name: string, env: Record<string, string>): Script {
  const child = spawn('npm', ['run', '--silent', name], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
  });
  const output: string[] = [];
  const waiters: { pattern: RegExp; resolve(m: RegExpMatchArray): void }[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (text) => {
      output.push(text);
      for (const w of waiters.filter((w) => w.pattern.test(text))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(text.match(w.pattern) as RegExpMatchArray);
      }
    });
  }
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const line = (pattern: RegExp): Promise<RegExpMatchArray> => {
    const seen = output.find((text) => pattern.test(text));
    if (seen !== undefined) return Promise.resolve(seen.match(pattern) as RegExpMatchArray);
    return new Promise((resolveLine, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`no line matching ${pattern} within ${STARTUP_MS} ms:\n${output.join('\n')}`),
          ),
        STARTUP_MS,
      );
      waiters.push({ pattern, resolve: (m) => (clearTimeout(timer), resolveLine(m)) });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(
          new Error(
            `npm run ${name} exited (${code}) before printing ${pattern}:\n${output.join('\n')}`,
          ),
        );
      });
    });
  };
  const script = { child, output, line, exited };
  running.push(script);
  return script;
}

async function stop(script: Script): Promise<void> {
  if (
    script.child.exitCode === null &&
    script.child.signalCode === null &&
    script.child.pid !== undefined
  ) {
    try {
      process.kill(-script.child.pid, 'SIGTERM');
    } catch {
      // the group is already gone
    }
  }
  await script.exited;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map(stop));
});

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'index.js')))
    throw new Error('dist/ is missing: run `npm run build` (npm install does it)');
});

describe('npm run sample:dashboard', () => {
  const clients = new Clients();
  afterEach(() => clients.closeAll());

  it('compiles and serves the dashboard', async () => {
    const script = npmRun('sample:dashboard', { PORT: '0', HOST: '127.0.0.1' });
    const [, port] = await script.line(/^Dashboard on http:\/\/localhost:(\d+)$/);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(await page.text()).toContain('wiregate dashboard');
    const client = await clients.connect(`http://127.0.0.1:${port}/dashboard`);
    await client.emitWithAck('metric:subscribe', { metric: 'clients' });
    const [sample] = await nextEvents<Sample>(client, 'metric', 1, 5000);
    expect(sample).toMatchObject({ metric: 'clients', value: 1 });
  });
});

describe('npm run sample:chat-gateway', () => {
  const clients = new Clients();
  afterEach(() => clients.closeAll());

  it('compiles and serves the chat protocol', async () => {
    const script = npmRun('sample:chat-gateway', { PORT: '0', HOST: '127.0.0.1' });
    const [, port] = await script.line(/^Chat \(gateway\) on http:\/\/localhost:(\d+)$/);
    const client = await clients.connect(`http://127.0.0.1:${port}/`, { auth: { name: 'ann' } });
    expect(await client.emitWithAck('join', { room: 'lobby' })).toEqual({
      room: 'lobby',
      history: [],
      members: ['ann'],
    });
  });
});

describeWithRedis('npm run sample:cluster (Redis)', () => {
  beforeAll(requireRedis);

  it('starts two servers, and the try script sends a message from one to the other', async () => {
    const servers = npmRun('sample:cluster', { PORT_A: '0', PORT_B: '0', HOST: '127.0.0.1' });
    const [[, a], [, b]] = await Promise.all([
      servers.line(/^server a on (http:\/\/localhost:\d+)\/chat$/),
      servers.line(/^server b on (http:\/\/localhost:\d+)\/chat$/),
    ]);
    const attempt = npmRun('sample:cluster:try', { URL_A: a, URL_B: b });
    expect(await attempt.exited).toBe(0);
    expect(attempt.output.join('\n')).toMatch(
      /bob \(on http:\/\/localhost:\d+\) received: \{[^]*text: 'hello from server a'[^]*server: 'a'/,
    );
  });
});

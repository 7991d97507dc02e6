// End to end: the built `wiregate` binary creates a project in a temp dir, npm installs it
// against this checkout (file: dependency, not the registry), generates one of each
// schematic, and the project's own type-check, `npm test` and `npm start` succeed.
// Takes about a minute: npm install (from the local cache) and two jest runs dominate.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { io, type Socket } from 'socket.io-client';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');

jest.setTimeout(240_000);

interface Exec {
  code: number | null;
  output: string;
}

/** Our environment minus what would make the project's own jest think it is a worker of ours. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', ...extra };
  delete env.JEST_WORKER_ID;
  return env;
}

/** Runs a command to completion; `output` is stdout and stderr interleaved. */
function exec(command: string, args: string[], cwd: string): Promise<Exec> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv() });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Asserts success; a failure shows the command's whole output. */
async function expectSuccess(run: Promise<Exec>): Promise<string> {
  const { code, output } = await run;
  if (code !== 0) throw new Error(`exit code ${code}:\n${output}`);
  return output;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const INJECTION_SPEC = `import { injectable } from 'tsyringe';
import { SubscribeMessage, WebSocketGateway } from 'wiregate';
import { createTestingApp } from 'wiregate/testing';
import { ChatService } from './chat/chat.service';

@injectable()
class Counter {
  constructor(readonly chat: ChatService) {}
}

@WebSocketGateway({ namespace: '/count' })
class CountGateway {
  constructor(private readonly counter: Counter) {}

  @SubscribeMessage('count')
  count(): number {
    this.counter.chat.add('one more');
    return this.counter.chat.list().length;
  }
}

it('injects a generated service through a service with a constructor', async () => {
  const t = await createTestingApp({ gateways: [CountGateway] });
  try {
    const client = await t.connect('/count');
    expect(await client.emitWithAck('count')).toBe(1);
    expect(await client.emitWithAck('count')).toBe(2);
  } finally {
    await t.close();
  }
});
`;

describe('wiregate CLI end to end', () => {
  let tmp: string;
  let app: string;
  let server: ChildProcess | undefined;
  let client: Socket | undefined;

  beforeAll(async () => {
    if (!fs.existsSync(CLI)) await exec('npm', ['run', 'build'], ROOT);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wiregate-cli-e2e-'));
    app = path.join(tmp, 'app');
  });

  afterAll(() => {
    client?.close();
    // npm start runs node as a grandchild: end the whole process group we spawned.
    if (server?.pid !== undefined && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('creates a project wired to this checkout', async () => {
    const output = await expectSuccess(
      exec('node', [CLI, 'new', app, '--wiregate', `file:${ROOT}`], tmp),
    );
    expect(output).toContain('npm install && npm start');
    const pkg = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies.wiregate).toBe(`file:${ROOT}`);
  });

  it('installs with npm', async () => {
    // The project's .npmrc (install-links) makes npm pack this checkout and install the
    // copy, as from the registry. --ignore-scripts: packing would otherwise run our
    // `prepare`, rebuilding (rm -rf) the dist/ that this test and everyone else is using.
    const args = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'];
    await expectSuccess(exec('npm', args, app));
  });

  it('generates a gateway, a guard, a service and a DTO with the installed binary', async () => {
    const wiregate = path.join(app, 'node_modules', '.bin', 'wiregate');
    const gateway = await expectSuccess(
      exec(wiregate, ['generate', 'gateway', 'chat', '--namespace', '/chat'], app),
    );
    expect(gateway).toContain('Registered ChatGateway in src/main.ts.');
    await expectSuccess(exec(wiregate, ['g', 'gateway', 'Lobby Room'], app));
    await expectSuccess(exec(wiregate, ['g', 'guard', 'auth'], app));
    await expectSuccess(exec(wiregate, ['g', 'service', 'chat'], app));
    await expectSuccess(
      exec(wiregate, ['g', 'dto', 'join-room', '--path', 'src/chat', '--flat'], app),
    );
    const main = fs.readFileSync(path.join(app, 'src', 'main.ts'), 'utf8');
    expect(main).toContain('gateways: [AppGateway, ChatGateway, LobbyRoomGateway]');
  });

  it('refuses to generate over existing files, with a non-zero exit code', async () => {
    const wiregate = path.join(app, 'node_modules', '.bin', 'wiregate');
    const { code, output } = await exec(wiregate, ['g', 'gateway', 'chat'], app);
    expect(code).toBe(1);
    expect(output).toContain('Use --force to overwrite them.');
  });

  it('injects services across the project and wiregate (one tsyringe, not two)', () => {
    // A service with a constructor dependency fails ("TypeInfo not known") when the
    // project's tsyringe is not the one wiregate resolves with. npm test runs this spec.
    fs.writeFileSync(path.join(app, 'src', 'injection.spec.ts'), INJECTION_SPEC);
    expect(fs.readFileSync(path.join(app, '.npmrc'), 'utf8')).toContain('install-links=true');
    expect(fs.lstatSync(path.join(app, 'node_modules', 'wiregate')).isSymbolicLink()).toBe(false);
  });

  it('type-checks', async () => {
    await expectSuccess(exec(path.join(app, 'node_modules', '.bin', 'tsc'), ['--noEmit'], app));
  });

  it("passes the project's own npm test, generated specs included", async () => {
    const output = await expectSuccess(exec('npm', ['test'], app));
    const specs = [
      'app.gateway',
      'chat.gateway',
      'lobby-room.gateway',
      'auth.guard',
      'chat.service',
      'injection',
    ];
    for (const spec of specs) {
      expect(output).toMatch(new RegExp(`PASS src/.*${spec.replace('.', '\\.')}\\.spec\\.ts`));
    }
  });

  it('starts with npm start and answers echo', async () => {
    const port = await freePort();
    const started = spawn('npm', ['start'], {
      cwd: app,
      detached: true,
      env: { ...process.env, PORT: String(port) },
    });
    server = started;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes(`Listening on port ${port}`)) resolve();
      };
      started.stdout.on('data', onData);
      started.stderr.on('data', onData);
      started.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
    client = io(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
    await expect(client.emitWithAck('echo', { text: 'hello' })).resolves.toEqual({ text: 'hello' });
  });
});

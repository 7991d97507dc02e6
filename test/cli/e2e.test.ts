// End to end, as docs/getting-started.md tells a new user: `npx --package ./wiregate
// wiregate new … --wiregate file:../wiregate` creates a project beside a clone of this
// checkout, npm installs it (a packed copy, not the registry), the guide's `npx wiregate
// generate` commands and its file listings follow, plus one of each other schematic; then
// the project's own type-check, `npm test` (generated and guide specs) and `npm start`
// succeed, and the guide's `node -e` client gets its echo.
// Takes a few minutes: npm install (from the local cache) and two jest runs dominate.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { classify, extractBlocks, isTypeScript } from '../docs/markdown';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
const GUIDE = fs.readFileSync(path.join(ROOT, 'docs', 'getting-started.md'), 'utf8');
const GUIDE_BLOCKS = extractBlocks(GUIDE, 'docs/getting-started.md');

/** The guide's shell lines that start with `prefix`, without their trailing comments. */
function guideCommands(prefix: string): string[] {
  return GUIDE_BLOCKS.filter((b) => b.lang === 'sh')
    .flatMap((b) => b.code.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.startsWith(prefix));
}

/** Splits a command line on spaces, keeping "double-quoted" words whole (no other shell syntax). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

jest.setTimeout(240_000);

interface Exec {
  code: number | null;
  output: string;
}

/** Our environment minus what would make the project's own jest think it is a worker of ours. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // npm_config_yes: the "Ok to proceed? (y)" that npx asks a person in a terminal before
  // installing a --package, answered yes (without a terminal npx would cancel).
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FORCE_COLOR: '0',
    npm_config_yes: 'true',
    ...extra,
  };
  delete env.JEST_WORKER_ID;
  return env;
}

/** Runs a command to completion; `output` is stdout and stderr interleaved. */
function exec(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<Exec> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(env) });
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
    this.counter.chat.append({ room: 'r', from: 'me', text: 'one more', at: 0 });
    return this.counter.chat.history('r').length;
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
    // The guide's layout: the clone `wiregate` beside the new project.
    fs.symlinkSync(ROOT, path.join(tmp, 'wiregate'));
  });

  afterAll(() => {
    client?.close();
    // npm start runs node as a grandchild: end the whole process group we spawned.
    if (server?.pid !== undefined && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("creates a project wired to this checkout with the guide's npx command", async () => {
    const [command] = guideCommands('npx --package ./wiregate wiregate new my-chat');
    expect(command).toBe(
      'npx --package ./wiregate wiregate new my-chat --wiregate file:../wiregate',
    );
    const [npx, ...args] = words(command.replace(' my-chat ', ' app '));
    const output = await expectSuccess(exec(npx, args, tmp));
    expect(output).toContain('npm install && npm start');
    const pkg = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies.wiregate).toBe('file:../wiregate');
  });

  it('installs with npm', async () => {
    // The project's .npmrc (install-links) makes npm pack this checkout and install the
    // copy, as from the registry. --ignore-scripts: packing would otherwise run our
    // `prepare`, rebuilding (rm -rf) the dist/ that this test and everyone else is using.
    const args = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'];
    await expectSuccess(exec('npm', args, app));
  });

  it("runs the guide's generate commands with the installed binary (npx), and the other schematics", async () => {
    const commands = guideCommands('npx wiregate generate');
    expect(commands).toEqual([
      'npx wiregate generate gateway chat --namespace /chat',
      'npx wiregate generate service chat',
      'npx wiregate generate guard name',
    ]);
    const outputs: string[] = [];
    for (const command of commands) {
      const [npx, ...args] = words(command);
      outputs.push(await expectSuccess(exec(npx, args, app)));
    }
    expect(outputs[0]).toContain('Registered ChatGateway in src/main.ts.');
    const wiregate = path.join(app, 'node_modules', '.bin', 'wiregate');
    await expectSuccess(exec(wiregate, ['g', 'gateway', 'Lobby Room'], app));
    await expectSuccess(exec(wiregate, ['g', 'guard', 'auth'], app));
    await expectSuccess(
      exec(wiregate, ['g', 'dto', 'join-room', '--path', 'src/chat', '--flat'], app),
    );
    const main = fs.readFileSync(path.join(app, 'src', 'main.ts'), 'utf8');
    expect(main).toContain('gateways: [AppGateway, ChatGateway, LobbyRoomGateway]');
  });

  it('refuses a --path outside the project and writes nothing', async () => {
    const wiregate = path.join(app, 'node_modules', '.bin', 'wiregate');
    for (const dir of ['../../outside', '/etc']) {
      const { code, output } = await exec(wiregate, ['g', 'guard', 'escape', '--path', dir], app);
      expect(code).toBe(1);
      expect(output).toContain('--path must be a folder inside the project');
    }
    expect(fs.existsSync(path.join(tmp, '..', 'outside'))).toBe(false);
    expect(fs.existsSync('/etc/escape')).toBe(false);
  });

  it("replaces the generated files with the guide's listings", () => {
    const files = GUIDE_BLOCKS.filter(isTypeScript).flatMap((block) => {
      const kind = classify(block);
      return kind.kind === 'file' ? [{ path: kind.path, code: block.code }] : [];
    });
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'src/chat/chat.service.spec.ts',
        'src/name/name.guard.spec.ts',
        'src/main.ts',
      ]),
    );
    for (const file of files) fs.writeFileSync(path.join(app, file.path), `${file.code}\n`);
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
      'name.guard',
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
        if (!output.includes(`Listening on port ${port}`)) return;
        clearTimeout(timer);
        resolve();
      };
      started.stdout.on('data', onData);
      started.stderr.on('data', onData);
      const timer = setTimeout(
        () => reject(new Error(`npm start did not listen within 120 s:\n${output}`)),
        120_000,
      );
      started.on('error', reject);
      started.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${code}:\n${output}`));
      });
    });
    // The guide's own client command, on this port.
    const [command] = GUIDE_BLOCKS.filter((b) => b.lang === 'sh')
      .flatMap((b) => b.code.split('\n'))
      .filter((line) => line.startsWith('node -e '));
    const script = /^node -e "(.*)"$/.exec(command)?.[1];
    expect(script).toBeDefined();
    const echoed = await expectSuccess(
      exec('node', ['-e', (script as string).replace('localhost:3000', `127.0.0.1:${port}`)], app),
    );
    expect(echoed.trim()).toBe("{ text: 'hi' }");
    // And the chat of the guide, on /chat.
    client = io(`http://127.0.0.1:${port}/chat`, {
      transports: ['websocket'],
      auth: { name: 'ann' },
    });
    await expect(client.timeout(5000).emitWithAck('room:join', { room: 'lobby' })).resolves.toEqual(
      [],
    );
    // A second one on the same port says so in one line, without a stack trace.
    const second = await exec('node', ['dist/main.js'], app, { PORT: String(port) });
    expect(second.code).toBe(1);
    expect(second.output.trim()).toBe(
      `Port ${port} is already in use. Stop the program using it, or pick another port: PORT=${port + 1} npm start`,
    );
  });
});

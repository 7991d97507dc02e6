// `npm start` compiles and runs the chat gateway sample (samples/chat-gateway) on the built
// package (dist/, made by `npm install`): start it on a free port and check that it serves the
// page and the official client.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const hasDist = existsSync(join(ROOT, 'dist', 'index.js'));
if (!hasDist)
  console.warn('\n*** npm start test skipped: dist/ is missing (run npm run build) ***\n');

(hasDist ? describe : describe.skip)('npm start (the chat sample)', () => {
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      // npm runs the sample through a shell: signal the whole process group.
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  });

  it('serves the chat page and the client bundle on PORT', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: { start: string };
    };
    expect(pkg.scripts.start).toBe('npm run sample:chat-gateway');
    child = spawn('npm', ['start'], {
      cwd: ROOT,
      detached: true,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error(`no URL printed within 60 s: ${out}`)),
        60000,
      );
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /Chat \(gateway\) on (http:\/\/localhost:\d+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1].replace('localhost', '127.0.0.1'));
        }
      });
      child!.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code}: ${out}`));
      });
    });
    const page = await fetch(url + '/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>wiregate chat</title>');
    const bundle = await fetch(url + '/socket.io/socket.io.min.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    const handshake = await fetch(url + '/socket.io/?EIO=4&transport=polling');
    expect((await handshake.text()).charAt(0)).toBe('0');
  }, 90000);

  it('says in one line what to do when PORT is busy, without a stack trace', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as AddressInfo).port;
    try {
      child = spawn('npm', ['start'], {
        cwd: ROOT,
        detached: true,
        env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
      });
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const code = await new Promise<number | null>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`npm start still running after 60 s: ${out}`)),
          60000,
        );
        child!.once('exit', (exitCode) => {
          clearTimeout(timer);
          resolve(exitCode);
        });
      });
      expect(code).not.toBe(0);
      expect(out).toContain(
        `Port ${port} is already in use. Stop the program using it, or pick another port: PORT=${port + 1} npm start`,
      );
      expect(out).not.toMatch(/^\s+at /m); // no stack trace
      expect(out).not.toContain('EADDRINUSE');
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  }, 90000);
});

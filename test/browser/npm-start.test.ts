// `npm start` compiles and runs the chat gateway sample (samples/chat-gateway) on the built
// package (dist/, made by `npm install`): start it on a free port and check that it serves the
// page and the official client.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const hasDist = existsSync(join(ROOT, 'dist', 'index.js'));
if (!hasDist) console.warn('\n*** npm start test skipped: dist/ is missing (run npm run build) ***\n');

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
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
    expect(pkg.scripts.start).toBe('npm run sample:chat-gateway');
    child = spawn('npm', ['start'], {
      cwd: ROOT,
      detached: true,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no URL printed within 60 s: ${out}`)), 60000);
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /Chat \(gateway\) on (http:\/\/localhost:\d+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1].replace('localhost', '127.0.0.1'));
        }
      });
      child!.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
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
});

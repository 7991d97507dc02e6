// The built binary itself: shebang, argv handling, exit codes and streams of a real process.
// (The in-memory tests cover behaviour; e2e.test.ts covers a whole project.)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');

jest.setTimeout(120_000);

function wiregate(
  args: string[],
  cwd: string,
): { status: number | null; stdout: string; stderr: string } {
  const { status, stdout, stderr } = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
  });
  return { status, stdout, stderr };
}

describe('the wiregate binary', () => {
  let tmp: string;

  beforeAll(() => {
    if (!fs.existsSync(CLI)) spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wiregate-bin-'));
  });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is a node script named in package.json bin', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      bin: unknown;
    };
    expect(pkg.bin).toEqual({ wiregate: 'dist/cli/main.js' });
    expect(fs.readFileSync(CLI, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('prints help and the package version, exit code 0', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(wiregate(['--help'], tmp)).toMatchObject({ status: 0, stderr: '' });
    expect(wiregate(['--help'], tmp).stdout).toContain('Usage: wiregate');
    expect(wiregate(['--version'], tmp)).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('fails outside a project with exit code 1 and the reason on stderr', () => {
    const result = wiregate(['generate', 'gateway', 'chat'], tmp);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('error: Not inside a wiregate project');
  });

  it('writes a project to disk, then refuses to write it again', () => {
    const first = wiregate(['new', 'app', '--wiregate', 'file:/nowhere'], tmp);
    expect(first).toMatchObject({ status: 0, stderr: '' });
    expect(fs.readFileSync(path.join(tmp, 'app', 'package.json'), 'utf8')).toContain(
      '"wiregate": "file:/nowhere"',
    );

    const gateway = wiregate(['g', 'gateway', 'chat', '--flat'], path.join(tmp, 'app', 'src'));
    expect(gateway).toMatchObject({ status: 0, stderr: '' });
    expect(fs.existsSync(path.join(tmp, 'app', 'src', 'chat.gateway.ts'))).toBe(true);

    const again = wiregate(['new', 'app'], tmp);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('is not empty');
  });
});

// `npm run build` (scripts/build.js) keeps dist/ whole while it runs: it compiles into a
// temporary folder and moves the files in one by one (scripts/replace-dir.js), so anything
// running from dist/ meanwhile — a server, tests, the `prepare` of a `file:` install —
// never finds a module missing. Run here on a tiny package of its own, never on our dist/.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { replaceDir, listFiles } = require('../../scripts/replace-dir.js') as {
  replaceDir(source: string, target: string, afterEach?: (rel: string) => void): void;
  listFiles(dir: string): string[];
};

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
}

function readTree(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir)
      .sort()
      .map((rel) => [rel, fs.readFileSync(path.join(dir, rel), 'utf8')]),
  );
}

describe('scripts/replace-dir.js', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wiregate-replace-dir-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('swaps file by file: a file both builds have is complete at every step; stale files and empty folders go', () => {
    const target = path.join(tmp, 'dist');
    const source = path.join(tmp, 'next');
    writeTree(target, { 'index.js': 'old index', 'sub/b.js': 'old b', 'gone/stale.js': 'stale' });
    writeTree(source, { 'index.js': 'new index', 'sub/b.js': 'new b', 'added/c.js': 'new c' });
    const inode = fs.statSync(target).ino;
    const seen: string[] = [];
    replaceDir(source, target, () => {
      for (const rel of ['index.js', 'sub/b.js']) {
        seen.push(fs.readFileSync(path.join(target, rel), 'utf8'));
      }
    });
    expect(new Set(seen)).toEqual(new Set(['old index', 'new index', 'old b', 'new b']));
    expect(readTree(target)).toEqual({
      'added/c.js': 'new c',
      'index.js': 'new index',
      'sub/b.js': 'new b',
    });
    expect(fs.existsSync(path.join(target, 'gone'))).toBe(false);
    expect(fs.existsSync(source)).toBe(false);
    expect(fs.statSync(target).ino).toBe(inode); // the folder itself was never replaced
  });
});

describe('scripts/build.js', () => {
  // Each case runs tsc once: seconds alone, far more on a loaded 2-core machine.
  jest.setTimeout(120_000);
  let pkg: string;

  beforeAll(() => {
    // A package laid out like ours: scripts/, tsconfig.build.json, src/ with the three
    // entries and the CLI; node_modules links to ours for tsc.
    pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'wiregate-build-'));
    for (const script of ['build.js', 'replace-dir.js', 'write-esm-entries.js']) {
      writeTree(pkg, {
        [`scripts/${script}`]: fs.readFileSync(path.join(ROOT, 'scripts', script), 'utf8'),
      });
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'));
    writeTree(pkg, {
      'tsconfig.build.json': JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'commonjs',
          strict: true,
          outDir: 'dist',
          rootDir: 'src',
          sourceMap: true,
          types: [],
        },
        include: ['src'],
      }),
      'src/index.ts': 'export const answer: number = 42;\n',
      'src/redis.ts': 'export const redis = "r";\n',
      'src/testing.ts': 'export const testing = "t";\n',
      'src/old.ts': 'export const old = 1;\n',
      'src/cli/main.ts': '#!/usr/bin/env node\nconsole.log("cli");\n',
    });
  });

  afterAll(() => fs.rmSync(pkg, { recursive: true, force: true }));

  /** Runs the build; meanwhile checks dist/index.js on every turn of the event loop. */
  async function build(): Promise<{ code: number | null; output: string; missing: number }> {
    const child = spawn(process.execPath, [path.join(pkg, 'scripts', 'build.js')], { cwd: pkg });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    let missing = 0;
    let done = false;
    const watch = (async () => {
      while (!done) {
        if (!fs.existsSync(path.join(pkg, 'dist', 'index.js'))) missing++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    done = true;
    await watch;
    return { code, output, missing };
  }

  it('builds dist/ with the ESM entries, an executable CLI and source maps that point at src/', async () => {
    const first = await build();
    expect(first).toMatchObject({ code: 0 });
    const dist = path.join(pkg, 'dist');
    expect(fs.readFileSync(path.join(dist, 'index.mjs'), 'utf8')).toContain(
      'export const answer = cjs.answer;',
    );
    expect(fs.statSync(path.join(dist, 'cli', 'main.js')).mode & 0o111).not.toBe(0);
    const map = JSON.parse(fs.readFileSync(path.join(dist, 'cli', 'main.js.map'), 'utf8')) as {
      sources: string[];
    };
    expect(fs.existsSync(path.resolve(dist, 'cli', map.sources[0]))).toBe(true);
  });

  it('rebuilds while dist/ is read without it ever missing its entry; removed sources leave dist/', async () => {
    fs.rmSync(path.join(pkg, 'src', 'old.ts'));
    const again = await build();
    expect(again).toMatchObject({ code: 0, missing: 0 });
    expect(fs.existsSync(path.join(pkg, 'dist', 'old.js'))).toBe(false);
    expect(fs.existsSync(path.join(pkg, 'dist', 'index.js'))).toBe(true);
  });

  it('leaves dist/ as it was when the compile fails, and no temporary folder behind', async () => {
    const before = readTree(path.join(pkg, 'dist'));
    fs.writeFileSync(path.join(pkg, 'src', 'index.ts'), 'export const answer: number = "no";\n');
    const failed = await build();
    expect(failed.code).toBe(1);
    expect(failed.output).toContain('dist/ is unchanged');
    expect(readTree(path.join(pkg, 'dist'))).toEqual(before);
    expect(fs.readdirSync(pkg).filter((f) => f.startsWith('.dist-build-'))).toEqual([]);
  });
});

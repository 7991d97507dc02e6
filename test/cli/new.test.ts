import { MemoryFileSystem } from '../../src/cli/memory-file-system';
import { run, VERSIONS } from './harness';

const FILES = [
  '.gitignore',
  'README.md',
  'jest.config.js',
  'package.json',
  'src/app.gateway.spec.ts',
  'src/app.gateway.ts',
  'src/echo.dto.ts',
  'src/main.ts',
  'tsconfig.build.json',
  'tsconfig.json',
];

function filesUnder(fs: MemoryFileSystem, root: string): string[] {
  return Object.keys(fs.snapshot())
    .filter((f) => f.startsWith(`${root}/`))
    .map((f) => f.slice(root.length + 1))
    .sort();
}

describe('wiregate new', () => {
  it('writes a complete project and prints the next commands', async () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/work');
    const result = await run(fs, ['new', 'my-app'], '/work');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(filesUnder(fs, '/work/my-app')).toEqual(FILES);
    expect(result.stdout).toMatch(/^CREATE my-app\/package\.json \(\d+ bytes\)$/m);
    expect(result.stdout).toContain(
      '\nCreated my-app. Next:\n  cd my-app\n  npm install && npm start\n  npm test\n',
    );
  });

  it('depends on this version of wiregate and pins the toolchain', async () => {
    const fs = new MemoryFileSystem();
    await run(fs, ['new', 'app'], '/');
    const pkg = JSON.parse(fs.readFile('/app/package.json') ?? '') as Record<
      string,
      Record<string, string>
    >;
    expect(pkg.name).toBe('app');
    expect(pkg.dependencies.wiregate).toBe('^1.2.3');
    expect(pkg.dependencies['class-validator']).toBe(VERSIONS.packages['class-validator']);
    expect(pkg.devDependencies.typescript).toBe(VERSIONS.packages.typescript);
    expect(pkg.devDependencies['socket.io-client']).toBe(VERSIONS.packages['socket.io-client']);
    expect(pkg.scripts).toEqual({
      build: 'tsc -p tsconfig.build.json',
      prestart: 'npm run build',
      start: 'node dist/main.js',
      test: 'tsc --noEmit && jest',
    });
  });

  it('uses --wiregate as the dependency spec and --name as the package name', async () => {
    const fs = new MemoryFileSystem();
    await run(fs, ['new', 'app', '--wiregate', 'file:/src/wiregate', '--name', 'Chat Server'], '/');
    const pkg = JSON.parse(fs.readFile('/app/package.json') ?? '') as Record<
      string,
      Record<string, string>
    >;
    expect(pkg.dependencies.wiregate).toBe('file:/src/wiregate');
    expect(pkg.name).toBe('chat-server');
    expect(fs.readFile('/app/README.md')).toMatch(/^# chat-server\n/);
    // No link to a registry page: the package may not be published (issue 16). Its README
    // ships inside the installed package.
    expect(fs.readFile('/app/README.md')).not.toContain('npmjs.com');
    expect(fs.readFile('/app/README.md')).toContain('(node_modules/wiregate/README.md)');
  });

  it.each([['file:/src/wiregate'], ['../wiregate'], ['/src/wiregate']])(
    'installs a local wiregate (%s) as a copy, through .npmrc',
    async (spec) => {
      const fs = new MemoryFileSystem();
      await run(fs, ['new', 'app', '--wiregate', spec], '/');
      expect(fs.readFile('/app/.npmrc')).toMatch(/^install-links=true$/m);
    },
  );

  it.each([[[]], [['--wiregate', '^2.0.0']], [['--wiregate', 'github:someone/wiregate']]])(
    'writes no .npmrc for a registry or git spec (%j)',
    async (args) => {
      const fs = new MemoryFileSystem();
      await run(fs, ['new', 'app', ...args], '/');
      expect(fs.exists('/app/.npmrc')).toBe(false);
    },
  );

  it('turns the directory name into a package name', async () => {
    const fs = new MemoryFileSystem();
    await run(fs, ['new', 'projects/My Chat'], '/');
    expect(JSON.parse(fs.readFile('/projects/My Chat/package.json') ?? '')).toMatchObject({
      name: 'my-chat',
    });
  });

  it('asks for --name when the directory name cannot be a package name', async () => {
    const result = await run(new MemoryFileSystem(), ['new', 'my.app'], '/');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot make a package name from the directory name.');
    expect(result.stderr).toContain('Pass --name <name>.');
  });

  it('writes the decorator flags and the TypeScript settings into tsconfig.json', async () => {
    const fs = new MemoryFileSystem();
    await run(fs, ['new', 'app'], '/');
    const { compilerOptions } = JSON.parse(fs.readFile('/app/tsconfig.json') ?? '') as {
      compilerOptions: Record<string, unknown>;
    };
    expect(compilerOptions).toMatchObject({
      target: 'ES2022',
      module: 'commonjs',
      strict: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    });
  });

  it('bootstraps AppGateway through createApp with a gateway list that generate can extend', async () => {
    const fs = new MemoryFileSystem();
    await run(fs, ['new', 'app'], '/');
    expect(fs.readFile('/app/src/main.ts')).toContain('gateways: [AppGateway]');
    expect((await run(fs, ['g', 'gateway', 'chat'], '/app')).code).toBe(0);
    expect(fs.readFile('/app/src/main.ts')).toContain('gateways: [AppGateway, ChatGateway]');
  });

  it('accepts an empty existing directory and "." as the target', async () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/empty');
    const result = await run(fs, ['new', '.'], '/empty');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\nCreated empty. Next:\n  npm install && npm start\n');
    expect(filesUnder(fs, '/empty')).toEqual(FILES);
  });

  it('counts a directory holding only .git as empty', async () => {
    const fs = new MemoryFileSystem({ '/app/.git/HEAD': 'ref: refs/heads/main' });
    expect((await run(fs, ['new', 'app'], '/')).code).toBe(0);
    expect(fs.exists('/app/package.json')).toBe(true);
  });

  it('refuses a non-empty directory without --force and writes nothing', async () => {
    const fs = new MemoryFileSystem({ '/app/notes.txt': 'keep' });
    const result = await run(fs, ['new', 'app'], '/');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: /app is not empty. Choose another directory, or use --force to write into it anyway.\n',
    );
    expect(Object.keys(fs.snapshot())).toEqual(['/app/notes.txt']);
  });

  it('writes into a non-empty directory with --force, keeping unrelated files', async () => {
    const fs = new MemoryFileSystem({ '/app/notes.txt': 'keep', '/app/package.json': '{}' });
    const result = await run(fs, ['new', 'app', '--force'], '/');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^OVERWRITE app\/package\.json/m);
    expect(fs.readFile('/app/notes.txt')).toBe('keep');
    expect(fs.readFile('/app/package.json')).toContain('"wiregate": "^1.2.3"');
  });

  it('refuses a target that is a file', async () => {
    const fs = new MemoryFileSystem({ '/app': 'a file' });
    const result = await run(fs, ['new', 'app', '--force'], '/');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: /app exists and is not a directory.\n');
  });

  it('writes nothing with --dry-run', async () => {
    const fs = new MemoryFileSystem();
    const result = await run(fs, ['new', 'app', '--dry-run'], '/');
    expect(result.code).toBe(0);
    expect(result.stdout.match(/^CREATE /gm)).toHaveLength(FILES.length);
    expect(result.stdout).toContain('Dry run: nothing was written.');
    expect(fs.snapshot()).toEqual({});
  });
});

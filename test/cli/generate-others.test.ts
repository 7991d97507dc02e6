import { MemoryFileSystem } from '../../src/cli/memory-file-system';
import { MAIN_TS, projectFs, run } from './harness';

describe('wiregate generate guard | service | dto', () => {
  it('guard: writes <name>.guard.ts with a CanActivate class and a spec, leaves main.ts alone', async () => {
    const fs = projectFs();
    const result = await run(fs, ['generate', 'guard', 'AuthGuard']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(fs.readFile('/app/src/auth/auth.guard.ts')).toContain(
      'export class AuthGuard implements CanActivate {',
    );
    expect(fs.readFile('/app/src/auth/auth.guard.spec.ts')).toContain(
      "import { AuthGuard } from './auth.guard';",
    );
    expect(fs.readFile('/app/src/main.ts')).toBe(MAIN_TS);
  });

  it('service: writes an injectable class and a spec', async () => {
    const fs = projectFs();
    await run(fs, ['g', 'service', 'chat rooms']);
    expect(fs.readFile('/app/src/chat-rooms/chat-rooms.service.ts')).toContain(
      '@injectable()\nexport class ChatRoomsService {',
    );
    expect(fs.readFile('/app/src/chat-rooms/chat-rooms.service.spec.ts')).toContain(
      "describe('ChatRoomsService'",
    );
  });

  it('dto: writes a class-validator DTO and no spec', async () => {
    const fs = projectFs();
    const result = await run(fs, ['g', 'dto', 'create_message', '--flat']);
    expect(result.code).toBe(0);
    expect(fs.readFile('/app/src/create-message.dto.ts')).toContain(
      'export class CreateMessageDto {',
    );
    expect(result.stdout).toMatch(/^CREATE src\/create-message\.dto\.ts \(\d+ bytes\)\n$/);
  });

  it('dto has no --no-spec option', async () => {
    const result = await run(projectFs(), ['g', 'dto', 'x', '--no-spec']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error: unknown option '--no-spec'");
  });

  it.each([
    ['guard', '/app/src/auth/auth.guard.ts'],
    ['service', '/app/src/auth/auth.service.ts'],
    ['dto', '/app/src/auth/auth.dto.ts'],
  ])('%s: honours --dry-run and refuses to overwrite without --force', async (kind, file) => {
    const fs = projectFs();
    const dry = await run(fs, ['g', kind, 'auth', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run: nothing was written.');
    expect(fs.exists(file)).toBe(false);

    expect((await run(fs, ['g', kind, 'auth'])).code).toBe(0);
    fs.writeFile(file, 'mine');
    const refused = await run(fs, ['g', kind, 'auth']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Use --force to overwrite them.');
    expect(fs.readFile(file)).toBe('mine');

    expect((await run(fs, ['g', kind, 'auth', '--force'])).code).toBe(0);
    expect(fs.readFile(file)).not.toBe('mine');
  });

  it.each([['guard'], ['service'], ['dto'], ['gateway']])(
    '%s: refuses a bad name with exit code 1',
    async (kind) => {
      const fs = projectFs();
      const before = fs.snapshot();
      const result = await run(fs, ['g', kind, '1st']);
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: 'error: Invalid name "1st": it must start with a letter, not a digit.\n',
      });
      expect(fs.snapshot()).toEqual(before);
    },
  );
});

describe('finding the project', () => {
  it('refuses to run outside a project', async () => {
    const fs = new MemoryFileSystem({ '/elsewhere/readme.md': 'hi' });
    const result = await run(fs, ['g', 'gateway', 'chat'], '/elsewhere');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: Not inside a wiregate project: no package.json that depends on "wiregate" in /elsewhere ' +
        'or any directory above it.\nRun this command in your project, or create one with `wiregate new <dir>`.\n',
    );
    expect(Object.keys(fs.snapshot())).toEqual(['/elsewhere/readme.md']);
  });

  it('skips a nearer package.json that does not depend on wiregate', async () => {
    const fs = projectFs({
      '/app/packages/ui/package.json': JSON.stringify({ name: 'ui', dependencies: { react: '1' } }),
    });
    expect((await run(fs, ['g', 'service', 'chat'], '/app/packages/ui')).code).toBe(0);
    expect(fs.exists('/app/src/chat/chat.service.ts')).toBe(true);
  });

  it.each([['devDependencies'], ['peerDependencies']])('accepts wiregate in %s', async (field) => {
    const fs = new MemoryFileSystem({
      '/lib/package.json': JSON.stringify({ [field]: { wiregate: '*' } }),
    });
    expect((await run(fs, ['g', 'dto', 'thing'], '/lib')).code).toBe(0);
    expect(fs.exists('/lib/src/thing/thing.dto.ts')).toBe(true);
  });

  it('reports an unreadable package.json', async () => {
    const fs = new MemoryFileSystem({ '/app/package.json': '{ nope' });
    const result = await run(fs, ['g', 'dto', 'thing']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: Cannot read /app/package.json:');
  });
});

describe('generate --path stays inside the project', () => {
  it.each([
    ['gateway', '../../outside'],
    ['guard', '/etc'],
    ['service', '..'],
    ['dto', 'src/../../elsewhere'],
  ])('%s --path %s: refused with exit code 1, nothing written', async (kind, dir) => {
    const fs = projectFs();
    const before = fs.snapshot();
    const result = await run(fs, ['g', kind, 'auth', '--path', dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^error: --path must be a folder inside the project \(\/app\), but ".*" is \/.*\. Nothing was written\./,
    );
    expect(fs.snapshot()).toEqual(before);
  });

  it('accepts a path that only passes through a parent on its way back in', async () => {
    const fs = projectFs();
    const result = await run(fs, ['g', 'guard', 'auth', '--path', 'lib/../src/guards', '--flat']);
    expect(result.code).toBe(0);
    expect(fs.exists('/app/src/guards/auth.guard.ts')).toBe(true);
  });

  it('resolves --path from the project root when run in a sub-folder', async () => {
    const fs = projectFs();
    const result = await run(fs, ['g', 'service', 'chat', '--path', 'src/services'], '/app/src');
    expect(result.code).toBe(0);
    expect(fs.exists('/app/src/services/chat/chat.service.ts')).toBe(true);
  });
});

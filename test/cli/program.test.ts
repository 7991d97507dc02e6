import { MemoryFileSystem } from '../../src/cli/memory-file-system';
import { projectFs, run } from './harness';

describe('the wiregate program', () => {
  it.each([
    [['--help'], 'Usage: wiregate [options] [command]'],
    [['help'], 'Usage: wiregate [options] [command]'],
    [['new', '--help'], 'Usage: wiregate new [options] <dir>'],
    [['generate', '--help'], 'Usage: wiregate generate|g [options] [command]'],
    [['g', '--help'], 'Usage: wiregate generate|g [options] [command]'],
    [['help', 'generate'], 'Usage: wiregate generate|g [options] [command]'],
    [['generate', 'gateway', '--help'], 'Usage: wiregate generate gateway [options] <name>'],
    [['g', 'guard', '--help'], 'Usage: wiregate generate guard [options] <name>'],
    [['g', 'service', '--help'], 'Usage: wiregate generate service [options] <name>'],
    [['g', 'dto', '--help'], 'Usage: wiregate generate dto [options] <name>'],
  ])('%j prints help on stdout and exits 0', async (argv, usage) => {
    const fs = new MemoryFileSystem();
    const result = await run(fs, argv, '/');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(usage);
    expect(result.stderr).toBe('');
    expect(fs.snapshot()).toEqual({});
  });

  it('documents every option of generate gateway', async () => {
    const { stdout } = await run(new MemoryFileSystem(), ['g', 'gateway', '--help'], '/');
    for (const option of [
      '--namespace <namespace>',
      '--path <dir>',
      '--flat',
      '--dry-run',
      '--force',
      '--no-spec',
    ]) {
      expect(stdout).toContain(option);
    }
  });

  it('prints the version', async () => {
    expect(await run(new MemoryFileSystem(), ['--version'], '/')).toEqual({
      code: 0,
      stdout: '1.2.3\n',
      stderr: '',
    });
  });

  it.each([
    [[], 'Usage: wiregate'],
    [['bogus'], "error: unknown command 'bogus'"],
    [['new'], "error: missing required argument 'dir'"],
    [['g'], 'Usage: wiregate generate|g'],
    [['g', 'widget', 'x'], "error: unknown command 'widget'"],
    [['g', 'gateway'], "error: missing required argument 'name'"],
    [['g', 'gateway', 'chat', '--colour'], "error: unknown option '--colour'"],
    [
      ['g', 'gateway', 'chat', '--namespace'],
      "error: option '--namespace <namespace>' argument missing",
    ],
  ])('%j fails with exit code 1 and a message on stderr', async (argv, message) => {
    const fs = projectFs();
    const before = fs.snapshot();
    const result = await run(fs, argv);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
    expect(fs.snapshot()).toEqual(before);
  });

  it('reports an unexpected failure with its stack instead of crashing', async () => {
    const fs = projectFs();
    fs.writeFile = () => {
      throw new Error('disk full');
    };
    const result = await run(fs, ['g', 'dto', 'thing']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: unexpected failure: Error: disk full\n {4}at /);
  });
});

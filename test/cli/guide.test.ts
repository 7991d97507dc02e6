// docs/getting-started.md shows files the CLI writes; they must be what it writes, or a
// reader following the guide ends up with something else. The listings a step replaces
// are checked by the docs tests (type-checked, specs run, main.ts started and exercised).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryFileSystem } from '../../src/cli/memory-file-system';
import { classify, extractBlocks, isTypeScript } from '../docs/markdown';
import { run } from './harness';

const GUIDE = 'docs/getting-started.md';
const listings = new Map(
  extractBlocks(readFileSync(join(__dirname, '..', '..', GUIDE), 'utf8'), GUIDE)
    .filter(isTypeScript)
    .flatMap((block) => {
      const kind = classify(block);
      // The listing without its `// file:` line.
      const body = block.code.split('\n').slice(1).join('\n');
      return kind.kind === 'file' ? [[kind.path, `${body}\n`] as const] : [];
    }),
);

describe(`${GUIDE} shows what the CLI writes`, () => {
  let fs: MemoryFileSystem;

  beforeAll(async () => {
    fs = new MemoryFileSystem();
    expect((await run(fs, ['new', 'my-chat'], '/')).code).toBe(0);
  });

  it.each(['src/app.gateway.ts', 'src/echo.dto.ts'])(
    '%s: the file `wiregate new` wrote, unchanged',
    (file) => {
      expect(listings.get(file)).toBe(fs.readFile(`/my-chat/${file}`));
    },
  );

  it('src/main.ts: as `wiregate generate gateway chat --namespace /chat` left it', async () => {
    const result = await run(
      fs,
      ['generate', 'gateway', 'chat', '--namespace', '/chat'],
      '/my-chat',
    );
    expect(result.code).toBe(0);
    expect(listings.get('src/main.ts')).toBe(fs.readFile('/my-chat/src/main.ts'));
  });
});

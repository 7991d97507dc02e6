// Docs cannot drift: every complete TypeScript example in docs/ and README.md type-checks
// against src/, every relative link points to a file, and docs/README.md lists every page.
// Conventions: docs/README.md, "Code blocks".
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  classify,
  extractBlocks,
  extractLinks,
  isRelative,
  isTypeScript,
  type CodeBlock,
} from './markdown';
import { layOut, ROOT, typeCheck } from './typecheck';

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return markdownFiles(full);
    return name.endsWith('.md') ? [full] : [];
  });
}

const PAGES = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))]
  .map((f) => relative(ROOT, f))
  .sort();
const read = (page: string): string => readFileSync(join(ROOT, page), 'utf8');
const TS_BLOCKS: CodeBlock[] = PAGES.flatMap((page) => extractBlocks(read(page), page)).filter(
  isTypeScript,
);
const CHECKED = TS_BLOCKS.filter((b) => classify(b).kind !== 'fragment').length;
const SKIPPED = TS_BLOCKS.length - CHECKED;

describe('docs code blocks', () => {
  it(`type-checks ${CHECKED} complete examples (${SKIPPED} fragments skipped) from ${PAGES.length} pages`, () => {
    const { examples, problems } = layOut(TS_BLOCKS);
    expect([...problems, ...typeCheck(examples)]).toEqual([]);
  });
});

describe('docs links', () => {
  it.each(PAGES)('%s: every relative link points to an existing file', (page) => {
    const broken = extractLinks(read(page))
      .filter((link) => isRelative(link.target))
      .filter((link) => {
        const path = decodeURIComponent(link.target.split('#')[0]);
        return path !== '' && !existsSync(resolve(dirname(join(ROOT, page)), path));
      })
      .map((link) => `${page}:${link.line}: ${link.target}`);
    expect(broken).toEqual([]);
  });

  it('docs/README.md links every page in docs/', () => {
    const linked = new Set(
      extractLinks(read('docs/README.md'))
        .filter((link) => isRelative(link.target))
        .map((link) => join('docs', link.target.split('#')[0])),
    );
    const missing = PAGES.filter(
      (p) => p.startsWith('docs/') && p !== 'docs/README.md' && !linked.has(p),
    );
    expect(missing).toEqual([]);
  });
});

describe('docs code-block conventions', () => {
  const block = (code: string, lang = 'ts'): CodeBlock => ({
    page: 'docs/x.md',
    line: 1,
    lang,
    code,
  });

  it('reads fences of any length, with their language and first code line', () => {
    const md = 'intro\n```ts\nconst a = 1;\n```\n\n````sh title\nnpm test\n```\nstill sh\n````\n';
    expect(extractBlocks(md, 'docs/x.md')).toEqual([
      { page: 'docs/x.md', line: 3, lang: 'ts', code: 'const a = 1;' },
      { page: 'docs/x.md', line: 7, lang: 'sh', code: 'npm test\n```\nstill sh' },
    ]);
  });

  it('checks "// file:" blocks and blocks importing wiregate; skips the rest', () => {
    expect(classify(block('// file: src/chat.gateway.ts\nexport class A {}'))).toEqual({
      kind: 'file',
      path: 'src/chat.gateway.ts',
    });
    expect(
      classify(block("import { createApp } from 'wiregate';\ncreateApp({ gateways: [] });")),
    ).toEqual({ kind: 'program' });
    expect(classify(block("import { createTestingApp } from 'wiregate/testing';"))).toEqual({
      kind: 'program',
    });
    expect(classify(block("// fragment\nimport { Server } from 'wiregate';\n// …"))).toMatchObject({
      kind: 'fragment',
    });
    expect(classify(block("socket.emit('hello');"))).toMatchObject({ kind: 'fragment' });
    expect(isTypeScript(block('x', 'typescript'))).toBe(true);
    expect(isTypeScript(block('x', 'js'))).toBe(false);
  });

  it('finds links outside code, including reference definitions and html', () => {
    const md =
      '[a](a.md) `[no](no.md)` ![img](img/x.png "t")\n```md\n[no](no2.md)\n```\n[ref]: ./ref.md#part\n<a href="h.md">h</a>';
    expect(extractLinks(md).map((l) => l.target)).toEqual([
      'a.md',
      'img/x.png',
      './ref.md#part',
      'h.md',
    ]);
    expect(['https://x.y', 'mailto:a@b', '#top', 'a.md'].filter(isRelative)).toEqual(['a.md']);
  });
});

// Runs the specs the docs show. A page's `// file: …spec.ts` block (or `…test.ts`) is run
// by jest here, together with the page's other `// file:` blocks it imports, so a test in
// the docs is known to pass, not only to type-check. Conventions: docs/README.md.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { classify, extractBlocks, isTypeScript } from './markdown';
import { ROOT } from './typecheck';

// Inside the repository so that node_modules resolves; one folder per process so that two
// concurrent runs never share files. Removed after the run.
const OUT = join(ROOT, '.docs-examples', String(process.pid));

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return markdownFiles(full);
    return name.endsWith('.md') ? [full] : [];
  });
}

/** Writes the page's `// file:` blocks; returns the specs among them. */
function writePage(page: string): string[] {
  const dir = join(OUT, page.replace(/\.md$/, '').replace(/[\\/]/g, '__'));
  const specs: string[] = [];
  for (const block of extractBlocks(readFileSync(join(ROOT, page), 'utf8'), page).filter(
    isTypeScript,
  )) {
    const kind = classify(block);
    if (kind.kind !== 'file') continue;
    const file = resolve(dir, kind.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${block.code}\n`);
    if (/\.(spec|test)\.ts$/.test(file)) specs.push(file);
  }
  return specs;
}

const pages = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))]
  .map((f) => relative(ROOT, f))
  .sort();
const specsByPage = pages
  .map((page) => [page, writePage(page)] as const)
  .filter(([, specs]) => specs.length > 0);

afterAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  if (readdirSync(dirname(OUT)).length === 0)
    rmSync(dirname(OUT), { recursive: true, force: true });
});

if (specsByPage.length === 0) {
  it.skip('no page shows a spec yet', () => undefined);
}

for (const [page, specs] of specsByPage) {
  describe(page, () => {
    // Requiring a spec registers its describe/it blocks right here.
    for (const spec of specs) require(spec); // eslint-disable-line @typescript-eslint/no-require-imports
  });
}

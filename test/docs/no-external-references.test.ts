// The repository explains itself: comments and docs may cite only documents that are in it.
// The five names below once pointed outside the repository; they may appear only as paths
// that resolve to docs/internals/<name> (from the repository root or the citing file's folder)
// and exist.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const NAMES = ['protocol.md', 'style.md', 'socket-semantics.md', 'architecture.md', 'toolchain.md'];
const SKIP = new Set(['node_modules', 'dist', '.git', '.out']);
const TEXT = /\.(ts|tsx|js|mjs|cjs|json|md|sh|ya?ml|txt)$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return TEXT.test(name) ? [full] : [];
  });
}

const SCANNED = [
  ...['src', 'test', 'bench', 'samples', 'scripts', 'docs']
    .filter((d) => existsSync(join(ROOT, d)))
    .flatMap((d) => files(join(ROOT, d))),
  join(ROOT, 'README.md'),
];

// A path-like token ending in `.md`; its file name is what we compare.
const TOKEN = /[\w./-]*\.md\b/g;

/**
 * Why `token`, found in a file of `fromDir`, is not allowed, or null when it is: one of the
 * names is allowed only where it resolves (from that folder or from the repository root) to
 * docs/internals/<name>, and that file exists.
 */
export function problemWith(token: string, fromDir: string = ROOT): string | null {
  const name = token.split('/').pop()!;
  if (!NAMES.includes(name)) return null;
  const page = join(ROOT, 'docs', 'internals', name);
  if (![resolve(fromDir, token), resolve(ROOT, token)].includes(page)) {
    return `${token} is not a path to docs/internals/${name}`;
  }
  return existsSync(page) ? null : `docs/internals/${name} does not exist`;
}

describe('no references to documents outside the repository', () => {
  it('tells allowed tokens from forbidden ones', () => {
    expect(problemWith('protocol.md')).not.toBeNull();
    expect(problemWith('../shared/docs/style.md')).not.toBeNull();
    expect(problemWith('docs/internals/toolchain.md')).not.toBeNull();
    expect(problemWith('docs/internals/wire-protocol.md')).toBeNull();
    expect(problemWith('docs/internals/code-style.md')).toBeNull();
    expect(problemWith('docs/internals/architecture.md')).toBeNull();
    expect(problemWith('internals/architecture.md', join(ROOT, 'docs'))).toBeNull();
    expect(problemWith('architecture.md', join(ROOT, 'docs', 'internals'))).toBeNull();
    expect(problemWith('architecture.md', join(ROOT, 'src'))).not.toBeNull();
  });

  it(`scans ${SCANNED.length} files`, () => {
    expect(SCANNED.length).toBeGreaterThan(50);
  });

  it('mentions protocol.md, style.md, socket-semantics.md, architecture.md, toolchain.md only as existing docs/internals/ paths', () => {
    const problems: string[] = [];
    for (const file of SCANNED) {
      if (file === __filename) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const [token] of line.matchAll(TOKEN)) {
            const problem = problemWith(token, dirname(file));
            if (problem !== null) problems.push(`${relative(ROOT, file)}:${i + 1}: ${problem}`);
          }
        });
    }
    expect(problems).toEqual([]);
  });
});

// Enforces the dependency directions of docs/internals/architecture.md, "What imports what": every import inside src/
// must point to a layer that the importing layer is allowed to see.
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.join(__dirname, '..', '..', 'src');

const ALLOWED: Record<string, string[]> = {
  shared: [],
  protocol: ['shared'],
  engine: ['shared'],
  server: ['engine', 'protocol', 'shared'],
  cluster: ['server', 'protocol', 'shared'],
  framework: ['server', 'shared'],
  testing: ['framework', 'server', 'shared'],
  cli: ['shared', 'framework'],
  root: ['shared', 'protocol', 'engine', 'server', 'cluster', 'framework', 'testing', 'cli'],
};

function listTs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'templates' ? [] : listTs(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

function layerOf(file: string): string {
  const rel = path.relative(SRC, file).split(path.sep);
  // `../protocol` names the folder (its index.ts), so it is that layer, not a root entry file.
  const isFolder = rel.length === 1 && fs.existsSync(path.join(SRC, rel[0])) && fs.statSync(path.join(SRC, rel[0])).isDirectory();
  return rel.length === 1 && !isFolder ? 'root' : rel[0];
}

const IMPORT_RE = /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|require\(['"](\.[^'"]+)['"]\)/g;

describe('layer boundaries', () => {
  const files = listTs(SRC);

  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((f) => [path.relative(SRC, f), f]))('%s imports only allowed layers', (_rel, file) => {
    const from = layerOf(file);
    const source = fs.readFileSync(file, 'utf8');
    const violations: string[] = [];
    for (const match of source.matchAll(IMPORT_RE)) {
      const spec = match[1] ?? match[2];
      const target = layerOf(path.resolve(path.dirname(file), spec));
      if (target !== from && !ALLOWED[from].includes(target)) violations.push(`${from} -> ${target} (${spec})`);
    }
    expect(violations).toEqual([]);
  });

  it('the cluster layer uses the server layer only through server/index.ts', () => {
    const offenders = files
      .filter((f) => ['cluster', 'framework', 'testing'].includes(layerOf(f)))
      .flatMap((f) =>
        [...fs.readFileSync(f, 'utf8').matchAll(IMPORT_RE)]
          .map((m) => path.resolve(path.dirname(f), m[1] ?? m[2]))
          .filter((t) => layerOf(t) === 'server' && !/server(\/index)?$/.test(t))
          .map((t) => `${path.relative(SRC, f)} -> ${path.relative(SRC, t)}`),
      );
    expect(offenders).toEqual([]);
  });
});

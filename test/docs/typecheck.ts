// Type-checks the complete TypeScript examples of the docs in one in-memory program, with
// the repository's compiler options and 'wiregate' mapped to src/ (tsconfig.json "paths").
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { classify, type CodeBlock } from './markdown';

export const ROOT = resolve(__dirname, '..', '..');
/** Where the examples seem to live: inside the repository, so node_modules resolves. Never written. */
const VIRTUAL_ROOT = join(ROOT, '.docs-examples');

/** A checked example and the virtual file it became. */
export interface Example {
  readonly block: CodeBlock;
  readonly fileName: string;
}

/** Places every checkable block in a virtual file; returns the examples and layout problems. */
export function layOut(blocks: readonly CodeBlock[]): { examples: Example[]; problems: string[] } {
  const examples: Example[] = [];
  const problems: string[] = [];
  const taken = new Map<string, CodeBlock>();
  for (const block of blocks) {
    const kind = classify(block);
    if (kind.kind === 'fragment') continue;
    const dir = join(VIRTUAL_ROOT, block.page.replace(/\.md$/, '').replace(/[\\/]/g, '__'));
    const fileName =
      kind.kind === 'file' ? resolve(dir, kind.path) : join(dir, `line-${block.line}.ts`);
    const clash = taken.get(fileName);
    if (clash !== undefined) {
      problems.push(
        `${block.page}:${block.line}: "// file: ${relative(dir, fileName)}" is already the block at line ${clash.line}`,
      );
      continue;
    }
    if (!fileName.startsWith(dir + '/') || !/\.tsx?$/.test(fileName)) {
      problems.push(
        `${block.page}:${block.line}: "// file:" needs a relative .ts path inside the page's example folder`,
      );
      continue;
    }
    taken.set(fileName, block);
    examples.push({ block, fileName });
  }
  return { examples, problems };
}

/** Compiler diagnostics of the examples, each as `page:line: message`. */
export function typeCheck(examples: readonly Example[]): string[] {
  const options = repositoryOptions();
  // `export {}` makes every example a module, so two examples never share globals.
  const sources = new Map(examples.map((e) => [e.fileName, `${e.block.code}\nexport {};\n`]));
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  host.fileExists = (f) => sources.has(f) || fileExists.call(host, f);
  host.readFile = (f) => sources.get(f) ?? readFile.call(host, f);
  host.directoryExists = (d) =>
    d === VIRTUAL_ROOT ||
    d.startsWith(VIRTUAL_ROOT + '/') ||
    (directoryExists?.call(host, d) ?? true);
  host.getSourceFile = (f, lang, onError, create) => {
    const text = sources.get(f);
    return text === undefined
      ? getSourceFile.call(host, f, lang, onError, create)
      : ts.createSourceFile(f, text, lang, true);
  };
  const program = ts.createProgram({ rootNames: [...sources.keys()], options, host });
  const byFile = new Map(examples.map((e) => [e.fileName, e.block]));
  // Diagnostics of the examples only: src/ is checked by `npm run typecheck`, and asking
  // for every file's diagnostics would check all of it again.
  const diagnostics: ts.Diagnostic[] = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
  ];
  for (const fileName of sources.keys()) {
    const file = program.getSourceFile(fileName);
    diagnostics.push(
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
    );
  }
  return diagnostics.map((d) => describe(d, byFile));
}

function repositoryOptions(): ts.CompilerOptions {
  const configFile = join(ROOT, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
  if (error !== undefined)
    throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(
    config,
    ts.sys,
    dirname(configFile),
    undefined,
    configFile,
  );
  return { ...parsed.options, noEmit: true, incremental: false };
}

function describe(d: ts.Diagnostic, byFile: Map<string, CodeBlock>): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n  ');
  if (d.file === undefined || d.start === undefined) return `TS${d.code}: ${message}`;
  const block = byFile.get(d.file.fileName) as CodeBlock;
  const { line } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${block.page}:${block.line + line}: TS${d.code}: ${message}`;
}

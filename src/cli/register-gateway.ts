/**
 * Adds a generated gateway to the `gateways: [ ... ]` list of a bootstrap file: one import
 * and one array entry, in the file's own layout. A text edit, not a TypeScript parse: it
 * handles what `wiregate new` writes and what people usually write, and gives up (so the
 * CLI prints instructions) when the file is ambiguous.
 * @module
 */

/** The gateway to register. */
export interface GatewayRegistration {
  readonly className: string;
  /** Module specifier relative to the bootstrap file: `./chat/chat.gateway`. */
  readonly importPath: string;
}

/** What happened to the bootstrap source. */
export type RegistrationResult =
  | { readonly kind: 'updated'; readonly source: string }
  | { readonly kind: 'already-registered' }
  | { readonly kind: 'unable'; readonly reason: string };

const LIST_START = /\bgateways\s*:\s*\[/g;

/**
 * Returns `source` with `registration` imported and appended to its gateway list.
 *
 * @example
 * registerGateway("import { A } from './a';\ncreateApp({ gateways: [A] });", {
 *   className: 'B', importPath: './b',
 * }); // { kind: 'updated', source: "import { A } from './a';\nimport { B } from './b';\ncreateApp({ gateways: [A, B] });" }
 */
export function registerGateway(
  source: string,
  registration: GatewayRegistration,
): RegistrationResult {
  const { className, importPath } = registration;
  const starts = [...source.matchAll(LIST_START)];
  if (starts.length === 0) return unable('it has no `gateways: [ ... ]` list');
  if (starts.length > 1) return unable('it has more than one `gateways: [ ... ]` list');
  const open = starts[0].index + starts[0][0].length - 1;
  const close = findClosingBracket(source, open);
  if (close === -1) return unable('its `gateways: [` list is not closed');
  const imported = importedFrom(source, className);
  if (imported !== undefined && imported !== importPath) {
    return unable(`it already imports another ${className}, from '${imported}'`);
  }
  const inner = source.slice(open + 1, close);
  if (wordPattern(className).test(inner)) return { kind: 'already-registered' };
  const withEntry = source.slice(0, open + 1) + appendEntry(inner, className) + source.slice(close);
  return {
    kind: 'updated',
    source: imported === undefined ? addImport(withEntry, registration) : withEntry,
  };
}

function unable(reason: string): RegistrationResult {
  return { kind: 'unable', reason };
}

function wordPattern(word: string): RegExp {
  return new RegExp(`\\b${word}\\b`);
}

/** The import line the CLI adds, also printed when it cannot edit the file. */
export function importLine({ className, importPath }: GatewayRegistration, quote = "'"): string {
  return `import { ${className} } from ${quote}${importPath}${quote};`;
}

function findClosingBracket(source: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (quote !== null) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return i;
  }
  return -1;
}

// Keeps the list's layout: `[]` -> `[B]`, `[A]` -> `[A, B]`, and one entry per line
// (with the same indentation and trailing-comma habit) when the list spans lines.
function appendEntry(inner: string, className: string): string {
  const body = inner.trimEnd();
  const tail = inner.slice(body.length);
  if (body.trim() === '')
    return body.includes('\n') || tail.includes('\n') ? `\n  ${className},${tail}` : className;
  const hasTrailingComma = body.endsWith(',');
  if (!inner.includes('\n')) return `${hasTrailingComma ? body : `${body},`} ${className}${tail}`;
  const indent = /\n([ \t]*)\S/.exec(inner)?.[1] ?? '  ';
  return `${hasTrailingComma ? body : `${body},`}\n${indent}${className}${hasTrailingComma ? ',' : ''}${tail}`;
}

const IMPORT_STATEMENT = /^import\b[^;]*?['"][^'"\n]+['"];?[ \t]*$/gm;

/** The module an import statement of `source` takes `className` from, if any. */
function importedFrom(source: string, className: string): string | undefined {
  for (const [statement] of source.matchAll(IMPORT_STATEMENT)) {
    const braces = /\{([^}]*)\}/.exec(statement);
    if (braces !== null && wordPattern(className).test(braces[1])) {
      return /['"]([^'"\n]+)['"];?[ \t]*$/.exec(statement)?.[1];
    }
  }
  return undefined;
}

function addImport(source: string, registration: GatewayRegistration): string {
  const imports = [...source.matchAll(IMPORT_STATEMENT)];
  const quote = imports[0]?.[0].includes('"') && !imports[0][0].includes("'") ? '"' : "'";
  const line = importLine(registration, quote);
  const last = imports[imports.length - 1];
  if (last === undefined) return `${line}\n${source}`;
  const end = last.index + last[0].length;
  return `${source.slice(0, end)}\n${line}${source.slice(end)}`;
}

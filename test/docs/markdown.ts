// Reads the parts of Markdown the docs tests check: fenced code blocks and relative links.
// The conventions are documented in docs/README.md, "Code blocks".

/** One fenced code block. */
export interface CodeBlock {
  /** The Markdown file, relative to the repository root. */
  readonly page: string;
  /** 1-based line of the block's first code line in `page`. */
  readonly line: number;
  /** The info string's first word, lower-cased (`ts`, `sh`, ``). */
  readonly lang: string;
  readonly code: string;
}

/** How the docs test treats a `ts` block. */
export type BlockKind =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'program' }
  | { readonly kind: 'fragment'; readonly reason: string };

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/;
const FILE_MARKER = /^\/\/\s*file:\s*(\S+)\s*$/;
const FRAGMENT_MARKER = /^\/\/\s*fragment\b/;
const WIREGATE_IMPORT = /^\s*import\s[^;]*?from\s+['"]wiregate(\/[\w-]+)?['"]/m;
const TS_LANGS = new Set(['ts', 'typescript']);

/** Every fenced block of `markdown`, in order. An unclosed fence runs to the end. */
export function extractBlocks(markdown: string, page: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (open === null) continue;
    const fence = open[1];
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !isClosingFence(lines[j], fence)) body.push(lines[j++]);
    blocks.push({ page, line: i + 2, lang: open[2].toLowerCase(), code: body.join('\n') });
    i = j;
  }
  return blocks;
}

function isClosingFence(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= fence.length && trimmed[0] === fence[0] && /^(`+|~+)$/.test(trimmed);
}

/** Whether a block is TypeScript the docs test may look at. */
export function isTypeScript(block: CodeBlock): boolean {
  return TS_LANGS.has(block.lang);
}

/**
 * `// file: <path>` on the first line: a whole file of a multi-file example.
 * `// fragment` on the first line: skipped on purpose.
 * Otherwise a block importing from `wiregate` (or `wiregate/…`) is a complete program,
 * and anything else is a fragment.
 */
export function classify(block: CodeBlock): BlockKind {
  const first = block.code.split('\n', 1)[0].trim();
  const file = FILE_MARKER.exec(first);
  if (file !== null) return { kind: 'file', path: file[1] };
  if (FRAGMENT_MARKER.test(first)) return { kind: 'fragment', reason: 'marked // fragment' };
  if (WIREGATE_IMPORT.test(block.code)) return { kind: 'program' };
  return { kind: 'fragment', reason: 'no import from wiregate' };
}

/** One link target found in Markdown text, with its line. */
export interface Link {
  readonly target: string;
  readonly line: number;
}

const INLINE_LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/;
const HTML_LINK = /\s(?:href|src)="([^"]+)"/g;

/** Link targets outside code blocks and code spans. */
export function extractLinks(markdown: string): Link[] {
  const links: Link[] = [];
  let fence: string | null = null;
  markdown.split(/\r?\n/).forEach((raw, index) => {
    const open = FENCE.exec(raw);
    if (fence !== null) {
      if (isClosingFence(raw, fence)) fence = null;
      return;
    }
    if (open !== null) {
      fence = open[1];
      return;
    }
    const line = raw.replace(/(`+)[^`]*?\1/g, '');
    const definition = REFERENCE_DEFINITION.exec(line);
    if (definition !== null) links.push({ target: definition[1], line: index + 1 });
    for (const re of [INLINE_LINK, HTML_LINK]) {
      for (const match of line.matchAll(re)) links.push({ target: match[1], line: index + 1 });
    }
  });
  return links;
}

/** Whether a link points into this repository (not a URL, not a mail address, not only an anchor). */
export function isRelative(target: string): boolean {
  return (
    !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#') && !target.startsWith('//')
  );
}

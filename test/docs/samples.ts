// Finds the runnable samples of the docs and runs one in a child process, as a reader would:
// the page's `// file:` blocks written side by side, the entry started with `node` (through
// sample-runtime.js: TypeScript compiled on load, `wiregate` resolved to src/, every port
// it listens on moved to a free one of 127.0.0.1). Used by samples.test.ts.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { classify, extractBlocks, isTypeScript, type CodeBlock } from './markdown';
import { ROOT } from './typecheck';

/** A block that starts a server when run: it listens, or gives createApp a port. */
const STARTS_A_SERVER = /\.listen\(|\bport:\s*\d|new (?:Server|EngineServer)\(\s*\d/;

/**
 * A block of a page that may start a server, named `page src/main.ts` for a `// file:`
 * block, or `page #n` for the n-th program block of the page that starts a server (not its
 * line: prose edits above it would rename it).
 */
export interface Candidate {
  readonly id: string;
  readonly block: CodeBlock;
  /** Path of the block inside its page's folder (`src/main.ts`, `line-43.ts`). */
  readonly path: string;
}

/** Every TypeScript block of `pages` that looks like it starts a server. */
export function findCandidates(pages: readonly string[]): Candidate[] {
  return pages.flatMap((page) => {
    let programs = 0;
    return extractBlocks(readFileSync(join(ROOT, page), 'utf8'), page)
      .filter(isTypeScript)
      .flatMap((block): Candidate[] => {
        const kind = classify(block);
        if (kind.kind === 'fragment' || !STARTS_A_SERVER.test(block.code)) return [];
        if (kind.kind === 'file') return [{ id: `${page} ${kind.path}`, block, path: kind.path }];
        programs++;
        return [{ id: `${page} #${programs}`, block, path: `program-${programs}.ts` }];
      });
  });
}

/**
 * Writes a page's `// file:` blocks, and `candidate` itself, under `root`; returns the
 * candidate's file. Files of one page may import each other, as in the docs.
 */
export function layOutPage(root: string, candidate: Candidate): string {
  const page = candidate.block.page;
  const dir = join(root, page.replace(/\.md$/, '').replace(/[\\/]/g, '__'));
  const blocks = extractBlocks(readFileSync(join(ROOT, page), 'utf8'), page).filter(isTypeScript);
  for (const block of blocks) {
    const kind = classify(block);
    if (kind.kind === 'file') write(resolve(dir, kind.path), block.code);
  }
  const entry = resolve(dir, candidate.path);
  write(entry, candidate.block.code);
  return entry;
}

function write(file: string, code: string): void {
  mkdirSync(dirname(file), { recursive: true });
  // Indented blocks (inside a list item) keep their indentation: harmless in TypeScript.
  writeFileSync(file, `${code}\n`);
}

/** How to start a sample. */
export interface StartOptions {
  /** Call this export of the entry (a sample that exports `main` instead of calling it). */
  readonly call?: string;
  readonly args?: readonly unknown[];
  readonly env?: Readonly<Record<string, string>>;
}

/** A sample running in a child process. */
export interface RunningSample {
  /** `http://127.0.0.1:<port>` for the port the sample asked for (default: the first it listened on). */
  url(requested?: number): string;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves once a line of output matches (fails after `ms`, or when the sample exits). */
  waitForOutput(pattern: RegExp, ms?: number): Promise<void>;
  /** Ends the sample (SIGTERM, then SIGKILL after 5 s) and resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * Starts `entry` and resolves once it listens. Rejects with the sample's output when it
 * exits first or does not listen within `ms`.
 */
export function startSample(
  entry: string,
  options: StartOptions,
  ms: number,
): Promise<RunningSample> {
  const args =
    options.call === undefined
      ? [entry]
      : [entry, options.call, JSON.stringify(options.args ?? [])];
  const child: ChildProcess = fork(join(__dirname, 'sample-runtime.js'), args, {
    cwd: dirname(entry),
    env: { ...process.env, ...options.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // The sticky-session sample forks workers: end them with the sample.
    detached: true,
  });
  let output = '';
  const outputWaiters = new Set<() => void>();
  const onOutput = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const check of outputWaiters) check();
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const ports = new Map<number, number>();
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const sample: RunningSample = {
    url(requested) {
      const port = requested === undefined ? ports.values().next().value : ports.get(requested);
      if (port === undefined)
        throw new Error(`the sample did not listen on ${requested ?? 'any port'}`);
      return `http://127.0.0.1:${port}`;
    },
    output: () => output,
    waitForOutput(pattern, wait = 10_000) {
      return new Promise((done, fail) => {
        const timer = setTimeout(
          () => finish(new Error(`no output matching ${pattern} within ${wait} ms:\n${output}`)),
          wait,
        );
        const check = (): void => {
          if (pattern.test(output)) finish();
        };
        const onExit = (): void =>
          finish(new Error(`the sample exited before printing ${pattern}:\n${output}`));
        function finish(err?: Error): void {
          clearTimeout(timer);
          outputWaiters.delete(check);
          child.off('exit', onExit);
          if (err === undefined) done();
          else fail(err);
        }
        outputWaiters.add(check);
        child.once('exit', onExit);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(-child.pid, 'SIGTERM');
        const timer = setTimeout(() => {
          try {
            process.kill(-(child.pid as number), 'SIGKILL');
          } catch {
            // already gone
          }
        }, 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };

  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      void sample
        .stop()
        .then(() => fail(new Error(`the sample did not listen within ${ms} ms:\n${output}`)));
    }, ms);
    child.on('message', (message: { type?: string; requested?: number; port?: number }) => {
      if (
        message.type !== 'listening' ||
        message.requested === undefined ||
        message.port === undefined
      )
        return;
      const first = ports.size === 0;
      ports.set(message.requested, message.port);
      if (first) {
        clearTimeout(timer);
        done(sample);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`the sample exited (${code ?? signal}) without listening:\n${output}`));
    });
  });
}

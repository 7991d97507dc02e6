// Runs the whole CLI (commander parsing included) against an in-memory file system and
// captured output, and hands back the exit code.
import type { ProjectVersions } from '../../src/cli/context';
import { MemoryFileSystem } from '../../src/cli/memory-file-system';
import { runCli } from '../../src/cli/program';

export const VERSIONS: ProjectVersions = {
  wiregate: '1.2.3',
  packages: {
    'class-validator': '0.15.1',
    'reflect-metadata': '0.2.2',
    tsyringe: '4.10.0',
    '@swc/core': '1.16.22',
    '@swc/jest': '0.2.39',
    '@types/jest': '30.0.0',
    '@types/node': '20.9.5',
    jest: '30.5.2',
    'socket.io-client': '4.8.4',
    typescript: '6.0.3',
  },
};

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A package.json that makes a directory a wiregate project. */
export const PROJECT_PACKAGE_JSON = JSON.stringify({
  name: 'app',
  dependencies: { wiregate: '^1.2.3' },
});

/** The bootstrap file `wiregate new` writes, trimmed to what registration looks at. */
export const MAIN_TS = `import 'reflect-metadata';
import { createApp } from 'wiregate';
import { AppGateway } from './app.gateway';

async function bootstrap(): Promise<void> {
  const app = await createApp({
    gateways: [AppGateway],
  });
  await app.listen(3000);
}
`;

/** A memory file system holding a project at /app (package.json and src/main.ts). */
export function projectFs(extra: Record<string, string> = {}): MemoryFileSystem {
  return new MemoryFileSystem({
    '/app/package.json': PROJECT_PACKAGE_JSON,
    '/app/src/main.ts': MAIN_TS,
    ...extra,
  });
}

export async function run(fs: MemoryFileSystem, argv: string[], cwd = '/app'): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    fs,
    cwd,
    versions: VERSIONS,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

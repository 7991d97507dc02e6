/**
 * What every CLI action receives instead of touching the process: the file system, the
 * working directory, the two output streams and the versions the templates pin.
 * @module
 */
import type { FileSystem } from './file-system';

/** Somewhere to write text: `process.stdout`, or a buffer in tests. */
export interface Output {
  write(text: string): unknown;
}

/** Versions written into a new project's package.json. */
export interface ProjectVersions {
  /** The version of this wiregate CLI; a new project depends on `^<version>`. */
  readonly wiregate: string;
  /** Package name → version for the other dependencies of a new project. */
  readonly packages: Readonly<Record<string, string>>;
}

/** The world as a CLI action sees it. */
export interface CliContext {
  readonly fs: FileSystem;
  /** Absolute directory the command runs in. */
  readonly cwd: string;
  readonly stdout: Output;
  readonly stderr: Output;
  readonly versions: ProjectVersions;
}

/**
 * The file-system seam of the CLI: actions read and write only through this interface,
 * so unit tests run them against memory and the binary runs them against the disk.
 * @module
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';

/** The few file operations the CLI actions need. Paths are absolute. */
export interface FileSystem {
  /** The file's text, or `undefined` when there is no file at `file`. */
  readFile(file: string): string | undefined;
  /** Writes `content`, creating missing parent directories. */
  writeFile(file: string, content: string): void;
  /** Whether anything (file or directory) exists at `target`. */
  exists(target: string): boolean;
  /** Whether `target` is a directory. */
  isDirectory(target: string): boolean;
  /** Entry names in `dir`; empty when it does not exist. */
  readDir(dir: string): string[];
}

/** The real disk, through `node:fs`. */
export class NodeFileSystem implements FileSystem {
  readFile(file: string): string | undefined {
    try {
      return nodeFs.readFileSync(file, 'utf8');
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  writeFile(file: string, content: string): void {
    nodeFs.mkdirSync(path.dirname(file), { recursive: true });
    nodeFs.writeFileSync(file, content);
  }

  exists(target: string): boolean {
    return nodeFs.existsSync(target);
  }

  isDirectory(target: string): boolean {
    return nodeFs.statSync(target, { throwIfNoEntry: false })?.isDirectory() ?? false;
  }

  readDir(dir: string): string[] {
    return this.isDirectory(dir) ? nodeFs.readdirSync(dir) : [];
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR';
}

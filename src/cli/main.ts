#!/usr/bin/env node
/**
 * The `wiregate` binary: hands argv and the real process to {@link runCli}. Nothing else.
 * @module
 */
import { NodeFileSystem } from './file-system';
import { runCli } from './program';
import { loadProjectVersions } from './versions';

// runCli catches every error itself and resolves to an exit code: nothing can reject here.
void runCli(process.argv.slice(2), {
  fs: new NodeFileSystem(),
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  versions: loadProjectVersions(),
}).then((code) => {
  // Not process.exit(): let stdout drain when it is a pipe.
  process.exitCode = code;
});

/**
 * `wiregate new <dir>`: parses argv, then calls {@link newProject}.
 * @module
 */
import type { Command } from 'commander';
import { newProject, type NewProjectOptions } from '../actions/new-project';
import type { CliContext } from '../context';

/** Adds the `new` command to `program`. */
export function registerNewCommand(program: Command, ctx: CliContext): void {
  program
    .command('new')
    .description('create a wiregate project: a gateway, its spec, TypeScript and Jest set up')
    .argument('<dir>', 'directory to create (may exist if empty)')
    .option('--name <name>', 'package name (default: from the directory name)')
    .option(
      '--wiregate <spec>',
      'dependency spec for wiregate, e.g. file:../wiregate (default: ^<this version>)',
    )
    .option('--force', 'write into a non-empty directory, overwriting files of the same names')
    .option('--dry-run', 'print what would be written, write nothing')
    .addHelpText(
      'after',
      '\nExample:\n  $ wiregate new my-app && cd my-app && npm install && npm start',
    )
    .action((dir: string, options: NewProjectOptions) => newProject(ctx, dir, options));
}

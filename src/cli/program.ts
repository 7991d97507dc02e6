/**
 * Builds the commander program and runs it against an explicit context, so tests run the
 * whole CLI in memory and get an exit code back instead of a dead process.
 * @module
 */
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error';
import { registerGenerateCommand } from './commands/generate';
import { registerNewCommand } from './commands/new';
import type { CliContext } from './context';

/** The `wiregate` program with every command registered; it never calls `process.exit`. */
export function createProgram(ctx: CliContext): Command {
  const program = new Command('wiregate')
    .description('Scaffold wiregate projects and their gateways.')
    .version(ctx.versions.wiregate, '-v, --version')
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
    })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .helpCommand(true);
  // Subcommands copy these settings when created, so configure before registering them.
  registerNewCommand(program, ctx);
  registerGenerateCommand(program, ctx);
  return program;
}

/**
 * Runs `argv` (without the node and script paths) and resolves to the exit code: 0 on
 * success or `--help`, non-zero on any failure, whose message went to `ctx.stderr`.
 *
 * @example
 * const code = await runCli(['generate', 'gateway', 'chat'], { fs, cwd, stdout, stderr, versions });
 */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  try {
    await createProgram(ctx).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    return exitCodeOf(err, ctx);
  }
}

function exitCodeOf(err: unknown, ctx: CliContext): number {
  // Commander already printed its own message (usage errors, --help, --version).
  if (err instanceof CommanderError) return err.exitCode;
  if (err instanceof CliError) {
    ctx.stderr.write(`error: ${err.message}\n`);
    return err.exitCode;
  }
  ctx.stderr.write(
    `error: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  return 1;
}

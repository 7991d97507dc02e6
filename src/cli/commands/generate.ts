/**
 * `wiregate generate <schematic> <name>` (alias `g`): parses argv, then calls the actions
 * in `actions/generate.ts`.
 * @module
 */
import type { Command } from 'commander';
import {
  generateDto,
  generateGateway,
  generateGuard,
  generateService,
  type GenerateGatewayOptions,
  type GenerateOptions,
} from '../actions/generate';
import type { CliContext } from '../context';

type Action = (ctx: CliContext, name: string, options: GenerateOptions) => void;

/** Adds `generate` and its schematics to `program`. */
export function registerGenerateCommand(program: Command, ctx: CliContext): void {
  const generate = program
    .command('generate')
    .alias('g')
    .description('add a gateway, guard, service or DTO to the project')
    .addHelpText('after', '\nExample:\n  $ wiregate generate gateway chat --namespace /chat');

  schematic(
    generate,
    ctx,
    'gateway',
    'a gateway class, its message DTO and a spec; registered in src/main.ts',
    generateGateway,
  )
    .option(
      '--namespace <namespace>',
      'namespace the gateway serves, e.g. /chat (default: the main namespace)',
    )
    .addHelpText(
      'after',
      '\nExample:\n  $ wiregate g gateway "chat room" --namespace /chat --dry-run',
    );
  schematic(generate, ctx, 'guard', 'a guard class (canActivate) and a spec', generateGuard);
  schematic(generate, ctx, 'service', 'an injectable service and a spec', generateService);
  schematic(generate, ctx, 'dto', 'a class-validator DTO', generateDto, false);
}

function schematic(
  parent: Command,
  ctx: CliContext,
  kind: string,
  description: string,
  action: Action,
  hasSpec = true,
): Command {
  const command = parent
    .command(kind)
    .description(description)
    .argument(
      '<name>',
      'name in any case: "chat room", ChatRoom and chat-room all give chat-room.' + kind + '.ts',
    )
    .option('--path <dir>', 'directory to write into, relative to the project root', 'src')
    .option('--flat', 'write into <dir> itself instead of a <name>/ sub-folder')
    .option('--dry-run', 'print what would be written, write nothing')
    .option('--force', 'overwrite existing files');
  if (hasSpec) command.option('--no-spec', 'do not write a spec file');
  return command.action((name: string, options: GenerateGatewayOptions) =>
    action(ctx, name, options),
  );
}

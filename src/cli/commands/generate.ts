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

  const gateway = addSchematic(generate, ctx, {
    kind: 'gateway',
    description: 'a gateway class, its message DTO and a spec; registered in src/main.ts',
    action: generateGateway,
  });
  gateway
    .option(
      '--namespace <namespace>',
      'namespace to serve, e.g. /chat (default: the main namespace)',
    )
    .addHelpText(
      'after',
      '\nExample:\n  $ wiregate g gateway "chat room" --namespace /chat --dry-run',
    );
  addSchematic(generate, ctx, {
    kind: 'guard',
    description: 'a guard class (canActivate) and a spec',
    action: generateGuard,
  });
  addSchematic(generate, ctx, {
    kind: 'service',
    description: 'an injectable service and a spec',
    action: generateService,
  });
  addSchematic(generate, ctx, {
    kind: 'dto',
    description: 'a class-validator DTO',
    action: generateDto,
    hasSpec: false,
  });
}

interface Schematic {
  /** Sub-command name, also the file suffix: `gateway` -> `<name>.gateway.ts`. */
  readonly kind: string;
  readonly description: string;
  readonly action: Action;
  /** Whether it writes a spec, and so offers `--no-spec` (default true). */
  readonly hasSpec?: boolean;
}

function addSchematic(parent: Command, ctx: CliContext, schematic: Schematic): Command {
  const { kind, action } = schematic;
  const command = parent
    .command(kind)
    .description(schematic.description)
    .argument(
      '<name>',
      `any case: "chat room", ChatRoom and chat-room all give chat-room.${kind}.ts`,
    )
    .option('--path <dir>', 'directory to write into, relative to the project root', 'src')
    .option('--flat', 'write into <dir> itself instead of a <name>/ sub-folder')
    .option('--dry-run', 'print what would be written, write nothing')
    .option('--force', 'overwrite existing files');
  if (schematic.hasSpec !== false) command.option('--no-spec', 'do not write a spec file');
  return command.action((name: string, options: GenerateGatewayOptions) =>
    action(ctx, name, options),
  );
}

/**
 * The `generate` actions: plain functions from options to files written through the
 * context's file system. The commands in `commands/generate.ts` only parse argv.
 * @module
 */
import * as path from 'node:path';
import { CliError } from '../cli-error';
import type { CliContext } from '../context';
import { applyPlan, toPosix, type PlannedFile } from '../file-plan';
import { toNames, type Names } from '../names';
import { findProjectRoot } from '../project';
import { importLine, registerGateway, type GatewayRegistration } from '../register-gateway';
import { dtoTemplate } from '../templates/dto';
import {
  gatewayDtoFile,
  gatewaySpecTemplate,
  gatewayDtoTemplate,
  gatewayTemplate,
} from '../templates/gateway';
import { guardSpecTemplate, guardTemplate } from '../templates/guard';
import { serviceSpecTemplate, serviceTemplate } from '../templates/service';

/** Options shared by every `generate` schematic. */
export interface GenerateOptions {
  /** Target directory, relative to the project root; `src` by default. */
  readonly path?: string;
  /** Write into the target directory itself instead of a `<name>/` sub-folder. */
  readonly flat?: boolean;
  /** Print what would be written, write nothing. */
  readonly dryRun?: boolean;
  /** Overwrite existing files. */
  readonly force?: boolean;
  /** Write a spec file beside the class (default true). */
  readonly spec?: boolean;
}

/** Options of `generate gateway`. */
export interface GenerateGatewayOptions extends GenerateOptions {
  /** Namespace such as `/chat`; the main namespace when absent. */
  readonly namespace?: string;
}

interface Target {
  readonly root: string;
  readonly dir: string;
  readonly names: Names;
}

function resolveTarget(
  ctx: CliContext,
  rawName: string,
  suffix: string,
  options: GenerateOptions,
): Target {
  const names = toNames(rawName, suffix);
  const root = findProjectRoot(ctx.fs, ctx.cwd);
  const base = insideProject(root, options.path ?? 'src');
  return { root, names, dir: options.flat === true ? base : path.join(base, names.kebab) };
}

/**
 * `--path` resolved against the project root, which it must stay inside: `../../x` or
 * `/etc` would otherwise write files where no one looks for them (and where the
 * registration in `src/main.ts` would import from outside the project).
 */
function insideProject(root: string, dir: string): string {
  const base = path.resolve(root, dir);
  const rel = path.relative(root, base);
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    throw new CliError(
      `--path must be a folder inside the project (${root}), but "${dir}" is ${base}. ` +
        'Nothing was written. Give a path relative to the project root, such as src/chat.',
    );
  }
  return base;
}

function write(
  ctx: CliContext,
  target: Target,
  files: PlannedFile[],
  options: GenerateOptions,
): void {
  applyPlan(ctx, files, {
    force: options.force === true,
    dryRun: options.dryRun === true,
    root: target.root,
  });
}

function created(dir: string, file: string, content: string): PlannedFile {
  return { path: path.join(dir, file), content, kind: 'create' };
}

/**
 * Writes `<name>.gateway.ts`, `<name>-message.dto.ts` and `<name>.gateway.spec.ts`, and
 * registers the gateway in `src/main.ts` when that file has a `gateways: [ ... ]` list
 * (otherwise prints what to add).
 *
 * @throws CliError for a bad name or namespace, outside a project, or when a file exists
 *   and `force` is off.
 */
export function generateGateway(
  ctx: CliContext,
  rawName: string,
  options: GenerateGatewayOptions,
): void {
  const namespace = options.namespace === undefined ? undefined : checkNamespace(options.namespace);
  const target = resolveTarget(ctx, rawName, 'gateway', options);
  const { names, dir } = target;
  const templateOptions = { names, namespace };
  const files = [
    created(dir, `${names.kebab}.gateway.ts`, gatewayTemplate(templateOptions)),
    created(dir, `${gatewayDtoFile(templateOptions)}.ts`, gatewayDtoTemplate(templateOptions)),
  ];
  if (options.spec !== false) {
    files.push(
      created(dir, `${names.kebab}.gateway.spec.ts`, gatewaySpecTemplate(templateOptions)),
    );
  }
  const mainFile = path.join(target.root, 'src', 'main.ts');
  const registration: GatewayRegistration = {
    className: `${names.pascal}Gateway`,
    importPath: importPathFrom(mainFile, path.join(dir, `${names.kebab}.gateway`)),
  };
  const note = planRegistration(ctx, mainFile, registration, files);
  const notice = options.dryRun === true ? note.replace(/^Registered/, 'Would register') : note;
  write(ctx, target, files, options);
  ctx.stdout.write(notice);
}

function planRegistration(
  ctx: CliContext,
  mainFile: string,
  registration: GatewayRegistration,
  files: PlannedFile[],
): string {
  const source = ctx.fs.readFile(mainFile);
  const result =
    source === undefined
      ? { kind: 'unable' as const, reason: 'it does not exist' }
      : registerGateway(source, registration);
  if (result.kind === 'updated') {
    files.push({ path: mainFile, content: result.source, kind: 'update' });
    return `Registered ${registration.className} in src/main.ts.\n`;
  }
  if (result.kind === 'already-registered')
    return `${registration.className} is already in src/main.ts.\n`;
  return (
    `Could not register ${registration.className} in src/main.ts: ${result.reason}. Add it yourself:\n` +
    `  ${importLine(registration)}\n` +
    `  createApp({ gateways: [${registration.className}] })\n`
  );
}

/** Writes `<name>.guard.ts` and its spec. */
export function generateGuard(ctx: CliContext, rawName: string, options: GenerateOptions): void {
  const target = resolveTarget(ctx, rawName, 'guard', options);
  const { names, dir } = target;
  const files = [created(dir, `${names.kebab}.guard.ts`, guardTemplate(names))];
  if (options.spec !== false)
    files.push(created(dir, `${names.kebab}.guard.spec.ts`, guardSpecTemplate(names)));
  write(ctx, target, files, options);
}

/** Writes `<name>.service.ts` and its spec. */
export function generateService(ctx: CliContext, rawName: string, options: GenerateOptions): void {
  const target = resolveTarget(ctx, rawName, 'service', options);
  const { names, dir } = target;
  const files = [created(dir, `${names.kebab}.service.ts`, serviceTemplate(names))];
  if (options.spec !== false) {
    files.push(created(dir, `${names.kebab}.service.spec.ts`, serviceSpecTemplate(names)));
  }
  write(ctx, target, files, options);
}

/** Writes `<name>.dto.ts` (a DTO has no behaviour of its own to spec). */
export function generateDto(ctx: CliContext, rawName: string, options: GenerateOptions): void {
  const target = resolveTarget(ctx, rawName, 'dto', options);
  write(
    ctx,
    target,
    [created(target.dir, `${target.names.kebab}.dto.ts`, dtoTemplate(target.names))],
    options,
  );
}

// The namespace lands inside a quoted string in generated code: keep it to path-like text.
function checkNamespace(raw: string): string {
  const namespace = raw.startsWith('/') ? raw : `/${raw}`;
  if (!/^\/[A-Za-z0-9_\-./:]*$/.test(namespace)) {
    throw new CliError(
      `Invalid namespace "${raw}": use letters, digits and "/", "-", "_", ".", ":" (for example /chat).`,
    );
  }
  return namespace;
}

function importPathFrom(fromFile: string, toModule: string): string {
  const rel = toPosix(path.relative(path.dirname(fromFile), toModule));
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * The `new` action: writes a ready-to-install wiregate project into a directory.
 * @module
 */
import * as path from 'node:path';
import { CliError } from '../cli-error';
import type { CliContext } from '../context';
import { applyPlan, type PlannedFile } from '../file-plan';
import { toNames } from '../names';
import {
  appGatewaySpecTemplate,
  appGatewayTemplate,
  echoDtoTemplate,
} from '../templates/app-gateway';
import {
  gitignoreTemplate,
  isLocalSpec,
  jestConfigTemplate,
  mainTemplate,
  npmrcTemplate,
  packageJsonTemplate,
  readmeTemplate,
  tsconfigBuildTemplate,
  tsconfigTemplate,
  type ProjectTemplateOptions,
} from '../templates/project';

/** Options of `wiregate new`. */
export interface NewProjectOptions {
  /** Dependency spec for wiregate (`file:../wiregate`); `^<this CLI's version>` by default. */
  readonly wiregate?: string;
  /** Package name; derived from the directory name by default. */
  readonly name?: string;
  /** Write into a non-empty directory, overwriting files of the same names. */
  readonly force?: boolean;
  /** Print what would be written, write nothing. */
  readonly dryRun?: boolean;
}

/**
 * Creates the project in `dir` (relative to `ctx.cwd`) and prints the next commands.
 *
 * @throws CliError when `dir` is a file, or a non-empty directory and `force` is off.
 */
export function newProject(ctx: CliContext, dir: string, options: NewProjectOptions): void {
  const root = path.resolve(ctx.cwd, dir);
  checkTarget(ctx, root, options.force === true);
  const templateOptions: ProjectTemplateOptions = {
    name: packageName(root, options.name),
    wiregateSpec: options.wiregate ?? `^${ctx.versions.wiregate}`,
    versions: ctx.versions,
  };
  const files: PlannedFile[] = projectFiles(templateOptions).map(([file, content]) => ({
    path: path.join(root, file),
    content,
    kind: 'create',
  }));
  applyPlan(ctx, files, {
    force: options.force === true,
    dryRun: options.dryRun === true,
    root: ctx.cwd,
  });
  if (options.dryRun === true) return;
  const cd = path.relative(ctx.cwd, root);
  ctx.stdout.write(
    `\nCreated ${templateOptions.name}. Next:\n${cd === '' ? '' : `  cd ${cd}\n`}  npm install && npm start\n  npm test\n`,
  );
}

/** Relative path and content of every file of a new project. */
function projectFiles(options: ProjectTemplateOptions): [string, string][] {
  const files: [string, string][] = [
    ['package.json', packageJsonTemplate(options)],
    ['tsconfig.json', tsconfigTemplate()],
    ['tsconfig.build.json', tsconfigBuildTemplate()],
    ['jest.config.js', jestConfigTemplate()],
    ['README.md', readmeTemplate(options)],
    ['.gitignore', gitignoreTemplate()],
    ['src/main.ts', mainTemplate()],
    ['src/app.gateway.ts', appGatewayTemplate()],
    ['src/echo.dto.ts', echoDtoTemplate()],
    ['src/app.gateway.spec.ts', appGatewaySpecTemplate()],
  ];
  if (isLocalSpec(options.wiregateSpec)) files.push(['.npmrc', npmrcTemplate()]);
  return files;
}

function packageName(root: string, name: string | undefined): string {
  if (name !== undefined) return toNames(name).kebab;
  try {
    return toNames(path.basename(root)).kebab;
  } catch (err) {
    const reason = err instanceof CliError ? err.message : String(err);
    throw new CliError(
      `Cannot make a package name from the directory name. ${reason} Pass --name <name>.`,
    );
  }
}

function checkTarget(ctx: CliContext, root: string, force: boolean): void {
  if (!ctx.fs.exists(root)) return;
  if (!ctx.fs.isDirectory(root)) throw new CliError(`${root} exists and is not a directory.`);
  // A fresh `git init` is still an empty project directory.
  if (!force && ctx.fs.readDir(root).some((entry) => entry !== '.git')) {
    throw new CliError(
      `${root} is not empty. Choose another directory, or use --force to write into it anyway.`,
    );
  }
}

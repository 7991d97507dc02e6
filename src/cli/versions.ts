/**
 * Reads the versions a new project pins from wiregate's own package.json, so generated
 * projects use the toolchain wiregate itself is tested with.
 * @module
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import type { ProjectVersions } from './context';

/** Packages a new project depends on besides wiregate. */
export const PROJECT_PACKAGES = [
  'class-validator',
  'reflect-metadata',
  'tsyringe',
  '@swc/core',
  '@swc/jest',
  '@types/jest',
  '@types/node',
  'jest',
  'socket.io-client',
  'typescript',
] as const;

// Used only if wiregate's package.json lacks one of them (e.g. a devDependency dropped).
const FALLBACK: Record<(typeof PROJECT_PACKAGES)[number], string> = {
  'class-validator': '0.15.1',
  'reflect-metadata': '0.2.2',
  tsyringe: '4.10.0',
  '@swc/core': '1.16.22',
  '@swc/jest': '0.2.39',
  '@types/jest': '30.0.0',
  '@types/node': '20.19.43',
  jest: '30.5.2',
  'socket.io-client': '4.8.4',
  typescript: '6.0.3',
};

interface PackageJson {
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * Versions from the package.json two levels above this file (`src/cli` in the checkout,
 * `dist/cli` once built: both sit under the package root).
 */
export function loadProjectVersions(
  packageJsonPath = path.join(__dirname, '..', '..', 'package.json'),
): ProjectVersions {
  const pkg = JSON.parse(nodeFs.readFileSync(packageJsonPath, 'utf8')) as PackageJson;
  const known = { ...pkg.devDependencies, ...pkg.dependencies };
  const packages: Record<string, string> = {};
  for (const name of PROJECT_PACKAGES) packages[name] = known[name] ?? FALLBACK[name];
  return { wiregate: pkg.version ?? '0.0.0', packages };
}

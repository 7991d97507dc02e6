/**
 * Templates of the files `wiregate new` writes besides the first gateway: package.json,
 * TypeScript and Jest configuration, the bootstrap file, README and .gitignore.
 * @module
 */
import type { ProjectVersions } from '../context';

/** What the project templates need to know. */
export interface ProjectTemplateOptions {
  /** npm package name of the new project. */
  readonly name: string;
  /** Dependency spec for wiregate: `^0.1.0`, `file:../wiregate`, … */
  readonly wiregateSpec: string;
  readonly versions: ProjectVersions;
}

/** package.json: `npm start` builds then runs, `npm test` type-checks then runs jest. */
export function packageJsonTemplate({
  name,
  wiregateSpec,
  versions,
}: ProjectTemplateOptions): string {
  const v = versions.packages;
  const pkg = {
    name,
    version: '0.1.0',
    private: true,
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      prestart: 'npm run build',
      start: 'node dist/main.js',
      test: 'tsc --noEmit && jest',
    },
    dependencies: {
      'class-validator': v['class-validator'],
      'reflect-metadata': v['reflect-metadata'],
      tsyringe: v.tsyringe,
      wiregate: wiregateSpec,
    },
    devDependencies: {
      '@swc/core': v['@swc/core'],
      '@swc/jest': v['@swc/jest'],
      '@types/jest': v['@types/jest'],
      '@types/node': v['@types/node'],
      jest: v.jest,
      'socket.io-client': v['socket.io-client'],
      typescript: v.typescript,
    },
    // npm 11 asks before running dependencies' install scripts; @swc/core works without.
    allowScripts: { '@swc/core': false },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/**
 * tsconfig.json for the editor, `tsc --noEmit` and the specs: legacy decorators on.
 * `bundler` resolution (allowed with CommonJS output since TypeScript 6) reads package
 * `exports`, which `wiregate/testing` needs; `node10` would not find it.
 */
export function tsconfigTemplate(): string {
  return `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "commonjs",
    "moduleResolution": "bundler",
    "lib": ["ES2022"],
    "strict": true,
    "experimentalDecorators": true,
    "emitDecoratorMetadata": true,
    "esModuleInterop": true,
    "skipLibCheck": true,
    "isolatedModules": true,
    "types": ["node", "jest"],
    "outDir": "dist",
    "rootDir": "src"
  },
  "include": ["src"]
}
`;
}

/** tsconfig.build.json: what `npm run build` compiles to dist/ (no specs). */
export function tsconfigBuildTemplate(): string {
  return `{
  "extends": "./tsconfig.json",
  "compilerOptions": {
    "types": ["node"],
    "sourceMap": true
  },
  "exclude": ["src/**/*.spec.ts"]
}
`;
}

/** jest.config.js: specs beside the code, compiled by swc with decorator metadata. */
export function jestConfigTemplate(): string {
  return `/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.spec.ts'],
  setupFiles: ['reflect-metadata'],
  transform: {
    '^.+\\\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
};
`;
}

/** src/main.ts: boots the app with its gateway list (which `wiregate generate` extends). */
export function mainTemplate(): string {
  return `import 'reflect-metadata';
import { createApp } from 'wiregate';
import { AppGateway } from './app.gateway';

const port = Number(process.env.PORT ?? 3000);

async function bootstrap(): Promise<void> {
  const app = await createApp({
    gateways: [AppGateway],
  });
  await app.listen(port);
  console.log(\`Listening on port \${port}\`);
}

bootstrap().catch((err: unknown) => {
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(\`Port \${port} is already in use. Stop the program using it, or pick another port: PORT=\${port + 1} npm start\`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
`;
}

/** README.md: the two commands, then where to go next. */
export function readmeTemplate({ name }: ProjectTemplateOptions): string {
  return `# ${name}

A realtime server built with wiregate: its README is in
[node_modules/wiregate/README.md](node_modules/wiregate/README.md) once installed.

\`\`\`sh
npm install && npm start   # builds and listens on port 3000 (set PORT to change it)
npm test                   # type-checks, then runs the specs
\`\`\`

Connect with any Socket.IO v4 client and send \`echo\` with an acknowledgement:

\`\`\`js
const { io } = require('socket.io-client');
const socket = io('http://localhost:3000');
socket.emitWithAck('echo', { text: 'hello' }).then(console.log); // { text: 'hello' }
\`\`\`

Add a gateway with \`npx wiregate generate gateway chat\`: it writes the gateway, its DTO
and a spec, and registers the gateway in \`src/main.ts\`.
`;
}

/** Whether a wiregate spec names a local directory (`file:../wiregate`, `../wiregate`). */
export function isLocalSpec(spec: string): boolean {
  return /^(file:|\.{1,2}\/|\/|~\/)/.test(spec);
}

/**
 * .npmrc, written only for a local wiregate spec. npm links a local directory by default,
 * and the link brings the checkout's own node_modules: a second tsyringe, whose container
 * does not know classes marked \`@injectable()\` with the project's copy ("TypeInfo not
 * known" for any service with constructor parameters). Installing a packed copy instead
 * shares one tsyringe, as an install from the registry does.
 */
export function npmrcTemplate(): string {
  return `# wiregate comes from a local directory: install a copy of it, not a link, so that it
# shares tsyringe (and its other dependencies) with this project.
install-links=true
`;
}

/** .gitignore */
export function gitignoreTemplate(): string {
  return 'node_modules/\ndist/\ncoverage/\n';
}

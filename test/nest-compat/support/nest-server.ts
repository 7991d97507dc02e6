// Runs gateways on NestJS with @nestjs/platform-socket.io in a child process (NestJS 12
// is ESM, which jest on Node 20 cannot load; plain Node can). argv: a gateway file and
// the name of its exported module class. Prints the port; on SIGTERM closes the app
// (NestJS's shutdown hooks run with 'SIGTERM') and prints the file's LIFECYCLE_LOG, if any.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { AddressInfo } from 'node:net';

async function main(): Promise<void> {
  const [file, exportName] = process.argv.slice(2);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the file is chosen at run time
  const mod = require(file) as Record<string, unknown>;
  const app = await NestFactory.create(mod[exportName] as new () => unknown, {
    logger: ['error', 'warn'],
  });
  app.useWebSocketAdapter(new IoAdapter(app));
  process.once('SIGTERM', () => {
    // Its typings omit the signal its close() takes (and passes to the shutdown hooks).
    void (app.close as (signal?: string) => Promise<void>)('SIGTERM').then(() => {
      if (mod.LIFECYCLE_LOG !== undefined)
        process.stdout.write(`${JSON.stringify({ log: mod.LIFECYCLE_LOG })}\n`);
      process.exit(0);
    });
  });
  await app.listen(0);
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

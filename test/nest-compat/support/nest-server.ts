// Runs gateways on NestJS with @nestjs/platform-socket.io in a child process (NestJS 12
// is ESM, which jest on Node 20 cannot load; plain Node can). argv: a gateway file and
// the name of its exported module class. Prints the port, closes on SIGTERM.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { AddressInfo } from 'node:net';

async function main(): Promise<void> {
  const [file, exportName] = process.argv.slice(2);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the file is chosen at run time
  const mod = require(file) as Record<string, new () => unknown>;
  const app = await NestFactory.create(mod[exportName], { logger: ['error', 'warn'] });
  app.useWebSocketAdapter(new IoAdapter(app));
  app.enableShutdownHooks(['SIGTERM']);
  await app.listen(0);
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

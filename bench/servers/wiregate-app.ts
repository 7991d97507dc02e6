/**
 * (d) wiregate's full gateway pipeline through `createApp` (from the built dist/): a
 * class-level guard (at connection and before every handler), a validated DTO, an
 * injected service, the return value as the ack. Same handlers as NestJS's (e) and (f).
 * @module
 */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DELIVERY_EVENT, ROOM, TOKEN } from '../lib/fixtures';
import { DIST, ROOT } from '../lib/paths';
import { IO_OPTIONS } from './bare';
import { EchoDto } from './dto';
import { serve, Unavailable } from './harness';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */
type Decorators = Record<string, (...args: any[]) => any>;

interface SocketLike {
  handshake: { auth: Record<string, unknown> };
  join(room: string): unknown;
}

serve(async () => {
  const entry = join(DIST, 'index.js');
  if (!existsSync(entry)) throw new Unavailable(`${entry} missing: run npm run build`);
  const wg = require(entry) as Decorators;
  if (typeof wg.createApp !== 'function')
    throw new Unavailable('dist/index.js does not export createApp (src/framework not ready)');
  const {
    WebSocketGateway,
    SubscribeMessage,
    MessageBody,
    ConnectedSocket,
    UseGuards,
    WebSocketServer,
    createApp,
  } = wg as Required<Decorators>;

  // BENCH_SCOPED=1: what a session-per-connection app pays (one tsyringe child container per socket).
  const scoped = process.env.BENCH_SCOPED === '1';
  class SessionState {
    readonly openedAt = Date.now();
  }

  class TokenGuard {
    canActivate(ctx: {
      type: string;
      handshake: SocketLike['handshake'];
      resolve<T>(token: new () => T): T;
    }): boolean {
      if (scoped && ctx.type === 'connection') ctx.resolve(SessionState);
      return ctx.handshake.auth.token === TOKEN;
    }
  }

  class EchoService {
    echo(dto: EchoDto): EchoDto {
      return dto;
    }
  }

  @UseGuards(TokenGuard)
  @WebSocketGateway({ serverOptions: IO_OPTIONS })
  class EchoGateway {
    @WebSocketServer() nsp!: {
      to(room: string): { emit(ev: string, ...args: unknown[]): unknown };
    };

    constructor(private readonly echoService: EchoService) {}

    @SubscribeMessage('echo')
    echo(@MessageBody() body: EchoDto): EchoDto {
      return this.echoService.echo(body);
    }

    @SubscribeMessage('join')
    join(@MessageBody() room: string, @ConnectedSocket() socket: SocketLike): boolean {
      socket.join(room);
      return true;
    }

    @SubscribeMessage('bcast')
    bcast(@MessageBody() body: EchoDto): void {
      this.nsp.to(ROOM).emit(DELIVERY_EVENT, body);
    }
  }

  const http = createServer();
  // BENCH_VALIDATION=off (findings only, not in the table): the same gateway without DTO validation.
  const validation = process.env.BENCH_VALIDATION === 'off' ? { validation: false } : {};
  const app = (await createApp({
    gateways: [EchoGateway],
    httpServer: http,
    serverOptions: IO_OPTIONS,
    ...validation,
  })) as { server: { engine: { clientsCount: number } } };
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const version = (require(join(ROOT, 'package.json')) as { version: string }).version;
  return {
    port: (http.address() as AddressInfo).port,
    path: '/socket.io/',
    dialect: 'sio',
    version: `wiregate ${version} (createApp)`,
    clients: () => app.server.engine.clientsCount,
  };
});

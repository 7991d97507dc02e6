/**
 * (f) NestJS 12 + @nestjs/platform-ws: the same gateway over plain WebSocket messages
 * (`{"event":"echo","data":...}`); ws has no rooms, so the room is a Set in the gateway.
 * @module
 */
import 'reflect-metadata';
import {
  Injectable,
  Module,
  UseGuards,
  UsePipes,
  ValidationPipe,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
} from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocket } from 'ws';
import { DELIVERY_EVENT, TOKEN } from '../lib/fixtures';
import { EchoDto } from './dto';
import { serve, versionOf } from './harness';

const authed = new WeakSet<WebSocket>();

@Injectable()
class TokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return authed.has(context.switchToWs().getClient<WebSocket>());
  }
}

@Injectable()
class EchoService {
  echo(dto: EchoDto): EchoDto {
    return dto;
  }
}

@UseGuards(TokenGuard)
@WebSocketGateway({ path: '/ws', perMessageDeflate: false })
class EchoGateway implements OnGatewayConnection, OnGatewayDisconnect {
  readonly all = new Set<WebSocket>();
  private readonly room = new Set<WebSocket>();

  constructor(private readonly echoService: EchoService) {}

  handleConnection(client: WebSocket, req: IncomingMessage): void {
    this.all.add(client);
    if (req.url?.includes(`token=${TOKEN}`)) authed.add(client);
  }

  handleDisconnect(client: WebSocket): void {
    this.all.delete(client);
    this.room.delete(client);
  }

  @UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }))
  @SubscribeMessage('echo')
  echo(@MessageBody() body: EchoDto): { event: string; data: EchoDto } {
    return { event: 'echo', data: this.echoService.echo(body) };
  }

  @SubscribeMessage('join')
  join(@ConnectedSocket() client: WebSocket): { event: string; data: boolean } {
    this.room.add(client);
    return { event: 'join', data: true };
  }

  @UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }))
  @SubscribeMessage('bcast')
  bcast(@MessageBody() body: EchoDto): void {
    const frame = Buffer.from(JSON.stringify({ event: DELIVERY_EVENT, data: body }));
    for (const client of this.room) client.send(frame, { binary: false });
  }
}

@Module({ providers: [EchoGateway, EchoService, TokenGuard] })
class AppModule {}

serve(async () => {
  const app = await NestFactory.create(AppModule, { logger: false });
  app.useWebSocketAdapter(new WsAdapter(app));
  await app.listen(0, '127.0.0.1');
  const gateway = app.get(EchoGateway);
  return {
    port: (app.getHttpServer().address() as AddressInfo).port,
    path: '/ws',
    dialect: 'nest-ws',
    version: `@nestjs/core ${versionOf('@nestjs/core')}, @nestjs/platform-ws ${versionOf('@nestjs/platform-ws')}`,
    clients: () => gateway.all.size,
  };
});

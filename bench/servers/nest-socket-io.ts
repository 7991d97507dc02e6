/**
 * (e) NestJS 12 + @nestjs/platform-socket.io: the same gateway as wiregate's (guard,
 * validated DTO, injected service, reply as ack).
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
import { IoAdapter } from '@nestjs/platform-socket.io';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { AddressInfo } from 'node:net';
import type { Server, Socket } from 'socket.io';
import { DELIVERY_EVENT, PING_INTERVAL_MS, PING_TIMEOUT_MS, ROOM, TOKEN } from '../lib/fixtures';
import { EchoDto } from './dto';
import { serve, versionOf } from './harness';

@Injectable()
class TokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToWs().getClient<Socket>().handshake.auth.token === TOKEN;
  }
}

@Injectable()
class EchoService {
  echo(dto: EchoDto): EchoDto {
    return dto;
  }
}

@UseGuards(TokenGuard)
@WebSocketGateway({
  transports: ['websocket'],
  serveClient: false,
  pingInterval: PING_INTERVAL_MS,
  pingTimeout: PING_TIMEOUT_MS,
  perMessageDeflate: false,
})
class EchoGateway {
  @WebSocketServer() server!: Server;

  constructor(private readonly echoService: EchoService) {}

  @UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }))
  @SubscribeMessage('echo')
  echo(@MessageBody() body: EchoDto): EchoDto {
    return this.echoService.echo(body);
  }

  @SubscribeMessage('join')
  join(@MessageBody() room: string, @ConnectedSocket() socket: Socket): boolean {
    void socket.join(room); // in-memory adapter: join is synchronous
    return true;
  }

  @UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }))
  @SubscribeMessage('bcast')
  bcast(@MessageBody() body: EchoDto): void {
    this.server.to(ROOM).emit(DELIVERY_EVENT, body);
  }
}

@Module({ providers: [EchoGateway, EchoService, TokenGuard] })
class AppModule {}

serve(async () => {
  const app = await NestFactory.create(AppModule, { logger: false });
  app.useWebSocketAdapter(new IoAdapter(app));
  await app.listen(0, '127.0.0.1');
  const gateway = app.get(EchoGateway);
  return {
    port: (app.getHttpServer().address() as AddressInfo).port,
    path: '/socket.io/',
    dialect: 'sio',
    version: `@nestjs/core ${versionOf('@nestjs/core')}, socket.io ${versionOf('socket.io')}`,
    clients: () => gateway.server.engine.clientsCount,
  };
});

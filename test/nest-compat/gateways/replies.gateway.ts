// A gateway as NestJS's CLI template writes them: undecorated parameters, a module.
// Runs unchanged on wiregate (jest) and on NestJS (support/nest-app.ts).
import { Ack, MessageBody, Module, SubscribeMessage, WebSocketGateway } from 'wiregate';
import type { Socket, WsResponse } from 'wiregate';

@WebSocketGateway({ namespace: 'replies' })
export class RepliesGateway {
  @SubscribeMessage('echo')
  handleMessage(client: Socket, payload: unknown): { from: string; payload: unknown } {
    return { from: typeof client.id, payload };
  }

  @SubscribeMessage('positions')
  positions(client: Socket, payload: unknown, ack: unknown, pattern: unknown): unknown[] {
    return [typeof client.emit, payload, typeof ack, pattern];
  }

  @SubscribeMessage('body')
  body(@MessageBody() body: unknown): unknown {
    return { body };
  }

  @SubscribeMessage('nothing')
  nothing(): void {
    return undefined;
  }

  @SubscribeMessage('null')
  returnsNull(): null {
    return null;
  }

  @SubscribeMessage('event')
  event(_client: Socket, payload: unknown): WsResponse<unknown> {
    return { event: 'evented', data: payload };
  }

  @SubscribeMessage('event:extra')
  eventWithExtraKeys(): WsResponse<number> & { extra: boolean } {
    return { event: 'evented', data: 2, extra: true };
  }

  @SubscribeMessage('later')
  later(@MessageBody() body: unknown, @Ack() ack: (reply: unknown) => void): string {
    setImmediate(() => ack({ later: body }));
    return 'not acked: @Ack() owns the ack';
  }
}

@Module({ providers: [RepliesGateway] })
export class RepliesModule {}

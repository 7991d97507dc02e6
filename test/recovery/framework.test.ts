// A gateway app with connection state recovery: on recovery the connection guards (namespace
// middlewares) are skipped per skipMiddlewares, handleConnection runs and sees socket.recovered,
// and the per-connection DI scope is a new one (the recovered socket is a new connection).
import { injectable } from 'tsyringe';
import {
  FromConnection,
  MessageBody,
  SubscribeMessage,
  UseGuards,
  WebSocketGateway,
  type ExecutionContext,
} from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';
import type { Socket } from '../../src/server';
import { next, within } from './support';

@injectable()
class ConnectionState {
  items: string[] = [];
}

class ConnectionGuard {
  static runs = 0;
  canActivate(ctx: ExecutionContext): boolean {
    if (ctx.type === 'connection') ConnectionGuard.runs++;
    return true;
  }
}

@WebSocketGateway({ namespace: '/recovering' })
@UseGuards(ConnectionGuard)
class RecoveringGateway {
  readonly recoveredAtConnection: boolean[] = [];

  handleConnection(socket: Socket): void {
    this.recoveredAtConnection.push(socket.recovered);
    if (!socket.recovered) void socket.join('room');
  }

  @SubscribeMessage('add')
  add(
    @MessageBody() item: string,
    @FromConnection(ConnectionState) state: ConnectionState,
  ): string[] {
    state.items.push(item);
    return state.items;
  }
}

describe.each([true, false])('gateway with recovery, skipMiddlewares %s', (skipMiddlewares) => {
  let t: TestingApp;
  beforeEach(async () => {
    ConnectionGuard.runs = 0;
    t = await createTestingApp({
      gateways: [RecoveringGateway],
      serverOptions: { connectionStateRecovery: { skipMiddlewares } },
    });
  });
  afterEach(() => t.close());

  it('connection guards run per skipMiddlewares, handleConnection sees socket.recovered, the DI scope is new', async () => {
    const nsp = t.app.server.of('/recovering');
    const firstSocket = within(
      new Promise<Socket>((resolve) => nsp.once('connection', resolve)),
      'the connection',
    );
    const client = await t.connect('/recovering');
    const socket = await firstSocket;
    expect(await client.timeout(5000).emitWithAck('add', 'a')).toEqual(['a']);
    nsp.to('room').emit('offset', 1);
    await next(client, 'offset');

    const lost = next(socket, 'disconnect');
    client.io.engine.close();
    expect((await lost)[0]).toBe('transport close');
    nsp.to('room').emit('missed', 2);
    const missed = next(client, 'missed');
    client.connect();
    await next(client, 'connect');
    expect(client.recovered).toBe(true);
    expect((await missed)[0]).toBe(2);
    expect(t.get(RecoveringGateway).recoveredAtConnection).toEqual([false, true]);
    expect(ConnectionGuard.runs).toBe(skipMiddlewares ? 1 : 2);
    // The per-connection container went with the lost socket: a new one, empty.
    expect(await client.timeout(5000).emitWithAck('add', 'b')).toEqual(['b']);
  });
});

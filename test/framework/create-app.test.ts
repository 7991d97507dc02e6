import { createServer } from 'node:http';
import {
  ConnectedSocket,
  createApp,
  JoinRoom,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '../../src';
import { InMemoryAdapter, type Room, type Socket, type SocketId } from '../../src/server';
import { createTestingApp } from '../../src/testing';
import { io } from 'socket.io-client';
import { EchoGateway } from '../fixtures/gateways/echo.gateway';

@WebSocketGateway({
  namespace: (name, _auth, next) => next(null, name.startsWith('/org-')),
  serverOptions: { path: '/rt' },
})
class OrgGateway {
  @SubscribeMessage('where')
  where(@MessageBody() body: unknown): unknown {
    return body;
  }
}

/** Joins complete a tick later, as with a cross-server adapter. */
class SlowJoinAdapter extends InMemoryAdapter {
  static joins: string[] = [];

  override addAll(id: SocketId, rooms: Iterable<Room>): Promise<void> {
    const list = [...rooms];
    return new Promise((resolve) =>
      setImmediate(() => {
        SlowJoinAdapter.joins.push(...list.filter((r) => r !== id));
        resolve(super.addAll(id, list) as void);
      }),
    );
  }
}

@WebSocketGateway({ namespace: '/slow', rooms: ['lobby'] })
class SlowRoomsGateway {
  @SubscribeMessage('enter')
  @JoinRoom((room: string) => room)
  enter(@MessageBody() room: string, @ConnectedSocket() socket: Socket): boolean {
    return socket.rooms.has(room) && socket.rooms.has('lobby');
  }
}

/** Handlers declared on a base class are inherited; an override in the subclass wins. */
abstract class BaseCrudGateway {
  @SubscribeMessage('list')
  list(): string[] {
    return ['base'];
  }

  @SubscribeMessage('count')
  count(@MessageBody() n: number): number {
    return n;
  }
}

@WebSocketGateway({ namespace: '/crud' })
class CrudGateway extends BaseCrudGateway {
  override list(): string[] {
    return ['sub'];
  }
}

describe('createApp', () => {
  it('finds handlers inherited from a base class, with overrides', async () => {
    const t = await createTestingApp({ gateways: [CrudGateway] });
    try {
      const client = await t.connect('/crud');
      await expect(client.emitWithAck('list')).resolves.toEqual(['sub']);
      await expect(client.emitWithAck('count', 3)).resolves.toBe(3);
    } finally {
      await t.close();
    }
  });

  it('uses the adapter option and awaits asynchronous joins before the handler', async () => {
    SlowJoinAdapter.joins = [];
    const t = await createTestingApp({ gateways: [SlowRoomsGateway], adapter: SlowJoinAdapter });
    try {
      const client = await t.connect('/slow');
      await expect(client.emitWithAck('enter', 'blue')).resolves.toBe(true);
      expect(SlowJoinAdapter.joins).toEqual(['lobby', 'blue']);
    } finally {
      await t.close();
    }
  });

  it('attaches to a given http server, listens on it and closes it', async () => {
    const http = createServer((_req, res) => res.end('plain http still works'));
    const app = await createApp({ gateways: [EchoGateway], httpServer: http });
    const port = await app.listen(0);
    expect(http.listening).toBe(true);
    const client = io(`http://localhost:${port}`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    try {
      await expect(client.emitWithAck('echo', 'via http')).resolves.toBe('via http');
      await expect(fetch(`http://localhost:${port}/other`).then((r) => r.text())).resolves.toBe(
        'plain http still works',
      );
    } finally {
      client.disconnect();
      await app.close();
    }
    expect(http.listening).toBe(false);
  });

  it('serves function namespaces and applies gateway serverOptions (path)', async () => {
    const t = await createTestingApp({ gateways: [OrgGateway] });
    try {
      const client = await t.connect('/org-7', { path: '/rt' });
      await expect(client.emitWithAck('where', 'org')).resolves.toBe('org');
      await expect(t.connectError('/team', { path: '/rt' })).resolves.toMatchObject({
        message: 'Invalid namespace',
      });
    } finally {
      await t.close();
    }
  });

  it('listens right away with the port option', async () => {
    const app = await createApp({ gateways: [EchoGateway], port: 0 });
    try {
      expect(app.server.httpServer?.listening).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('prints a table of namespaces, events, handlers, guards and pipes with debug: true', async () => {
    const lines: string[] = [];
    const app = await createApp({
      gateways: [OrgGateway, EchoGateway],
      debug: true,
      logger: { log: (m: unknown) => lines.push(String(m)), error: () => undefined },
    });
    await app.close();
    const table = lines.join('\n');
    expect(table).toMatch(/namespace\s+event\s+handler\s+guards\s+pipes/);
    expect(table).toMatch(/\/\s+echo\s+EchoGateway\.echo\s+-\s+-/);
    expect(table).toMatch(/<function namespace>\s+where\s+OrgGateway\.where/);
  });
});

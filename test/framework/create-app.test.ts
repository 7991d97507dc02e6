import { createServer } from 'node:http';
import { createApp, MessageBody, SubscribeMessage, WebSocketGateway } from '../../src';
import { createTestingApp } from '../../src/testing';
import { io } from 'socket.io-client';
import { EchoGateway } from '../fixtures/gateways/echo.gateway';

@WebSocketGateway({ namespace: (name, _auth, next) => next(null, name.startsWith('/org-')), serverOptions: { path: '/rt' } })
class OrgGateway {
  @SubscribeMessage('where')
  where(@MessageBody() body: unknown): unknown {
    return body;
  }
}

describe('createApp', () => {
  it('attaches to a given http server, listens on it and closes it', async () => {
    const http = createServer((_req, res) => res.end('plain http still works'));
    const app = await createApp({ gateways: [EchoGateway], httpServer: http });
    const port = await app.listen(0);
    expect(http.listening).toBe(true);
    const client = io(`http://localhost:${port}`, { transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      await expect(client.emitWithAck('echo', 'via http')).resolves.toBe('via http');
      await expect(fetch(`http://localhost:${port}/other`).then((r) => r.text())).resolves.toBe('plain http still works');
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
      await expect(t.connectError('/team', { path: '/rt' })).resolves.toMatchObject({ message: 'Invalid namespace' });
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
    const app = await createApp({ gateways: [OrgGateway, EchoGateway], debug: true, logger: { log: (m: unknown) => lines.push(String(m)), error: () => undefined } });
    await app.close();
    const table = lines.join('\n');
    expect(table).toMatch(/namespace\s+event\s+handler\s+guards\s+pipes/);
    expect(table).toMatch(/\/\s+echo\s+EchoGateway\.echo\s+-\s+-/);
    expect(table).toMatch(/<function namespace>\s+where\s+OrgGateway\.where/);
  });
});

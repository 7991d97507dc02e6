// @WebSocketGateway(port, options): a gateway on another port gets a server of its own,
// and top-level socket.io options (path, cors, transports) apply — on NestJS and wiregate.
import { createServer } from 'node:net';
import { io } from 'socket.io-client';
import { createTestingApp } from '../../src/testing';
import type { Type } from '../../src';
import { startNestApp } from './support/nest-app';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}

/** Asks `where` over websocket; resolves with the answer or the connect error's message. */
async function where(url: string, path: string, transports: string[]): Promise<string> {
  const client = io(url, { path, transports, forceNew: true, reconnection: false, timeout: 5000 });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('connect_error', reject);
    });
    return String(await client.timeout(5000).emitWithAck('where'));
  } catch (err) {
    return `refused: ${(err as Error).message}`;
  } finally {
    client.close();
  }
}

/** What a client observes of the two gateways' servers. */
async function observe(mainPort: number, sidePort: number): Promise<unknown> {
  const cors = await fetch(`http://localhost:${mainPort}/rt/?EIO=4&transport=polling`, {
    headers: { origin: 'http://example.test' },
  });
  await cors.text();
  return {
    main: await where(`http://localhost:${mainPort}/main`, '/rt', ['websocket']),
    mainDefaultPath: await where(`http://localhost:${mainPort}/main`, '/socket.io', ['websocket']),
    corsOrigin: cors.headers.get('access-control-allow-origin'),
    side: await where(`http://localhost:${sidePort}/side`, '/socket.io', ['websocket']),
    sidePolling: await where(`http://localhost:${sidePort}/side`, '/socket.io', ['polling']),
  };
}

describe('gateway ports and top-level socket.io options, on NestJS and on wiregate', () => {
  it('serves a port gateway from its own server and applies path, cors and transports', async () => {
    const file = require.resolve('./gateways/ports.gateway');
    const nestSide = await freePort();
    const nest = await startNestApp(file, 'PortsModule', { COMPAT_SIDE_PORT: String(nestSide) });
    let nestSaw: unknown;
    try {
      nestSaw = await observe(nest.port, nestSide);
    } finally {
      await nest.close();
    }
    const ourSide = await freePort();
    process.env.COMPAT_SIDE_PORT = String(ourSide);
    let oursSaw: unknown;
    await jest.isolateModulesAsync(async () => {
      // Loaded here so that its decorators read the port chosen for this run.
      const { PortsModule } = (await import('./gateways/ports.gateway')) as { PortsModule: Type };
      const t = await createTestingApp({ modules: [PortsModule] });
      try {
        expect(t.app.servers.get(ourSide)).toBeDefined();
        oursSaw = await observe(t.port, ourSide);
      } finally {
        await t.close();
      }
    });
    delete process.env.COMPAT_SIDE_PORT;
    expect(nestSaw).toEqual({
      main: 'main',
      mainDefaultPath: expect.stringMatching(/^refused/),
      corsOrigin: 'http://example.test',
      side: 'side',
      sidePolling: expect.stringMatching(/^refused/),
    });
    expect(oursSaw).toEqual(nestSaw);
  });
});

/**
 * One server of the cluster: the chat app on an HTTP port, sharing rooms with the other
 * servers through Redis.
 * @module
 */
import 'reflect-metadata';
import { createServer, type Server as HttpServer } from 'node:http';
import { Redis } from 'ioredis';
import { container } from 'tsyringe';
import { createApp, type App } from 'wiregate';
import { createAdapter } from 'wiregate/redis';
import { ChatGateway } from './chat.gateway';
import { NODE_NAME } from './node-name';

/** Options of `startNode`. */
export interface NodeOptions {
  /** This server's name, shown in the messages it relays. */
  name: string;
  /** HTTP port; 0 picks a free one. */
  port: number;
  /** Interface to listen on. Default: all of them. */
  host?: string;
  /** Redis URL. Default `redis://127.0.0.1:6379`. */
  redisUrl?: string;
  /** Channel prefix: servers with the same key form one cluster. Default `wiregate-cluster-sample`. */
  key?: string;
}

/** A running server of the cluster. */
export interface RunningNode {
  readonly name: string;
  readonly app: App;
  readonly port: number;
  /** Closes the app (leaving the cluster), then both Redis connections. */
  close(): Promise<void>;
}

/**
 * Starts one server. Run it several times, on several ports or machines, with the same
 * Redis and key: a client of any server reaches the rooms' members on all of them.
 *
 * @example
 * const a = await startNode({ name: 'a', port: 3001 });
 * const b = await startNode({ name: 'b', port: 3002 });
 */
export async function startNode(options: NodeOptions): Promise<RunningNode> {
  const redisUrl = options.redisUrl ?? 'redis://127.0.0.1:6379';
  // Publishing and subscribing need two connections: a subscribed Redis connection can do nothing else.
  const pub = new Redis(redisUrl, { lazyConnect: true });
  const sub = pub.duplicate();
  for (const client of [pub, sub])
    client.on('error', (err: Error) => console.error(`[${options.name}] redis: ${err.message}`));
  await Promise.all([pub.connect(), sub.connect()]).catch((err: unknown) => {
    pub.disconnect();
    sub.disconnect();
    throw new Error(
      `Redis is not reachable at ${redisUrl}. Start one: apt-get install -y redis-server && redis-server --daemonize yes`,
      { cause: err },
    );
  });
  const scope = container.createChildContainer();
  scope.register(NODE_NAME, { useValue: options.name });
  const adapter = createAdapter(pub, sub, { key: options.key ?? 'wiregate-cluster-sample' });
  const httpServer = createServer();
  const app = await createApp({ gateways: [ChatGateway], container: scope, adapter, httpServer });
  const close = async (): Promise<void> => {
    await app.close();
    await Promise.all([pub.quit(), sub.quit()]);
  };
  try {
    await listenOn(httpServer, options.port, options.host);
    const port = await app.listen(); // already listening: resolves with the bound port
    return { name: options.name, app, port, close };
  } catch (err) {
    await close();
    throw err;
  }
}

function listenOn(server: HttpServer, port: number, host: string | undefined): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      done();
    });
  });
}

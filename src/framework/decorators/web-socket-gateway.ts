/**
 * `@WebSocketGateway()`: marks a class as a gateway bound to a namespace.
 * @module
 */
// tsyringe checks for the Reflect polyfill when it loads: load it first, so users need not.
import 'reflect-metadata';
import { injectable } from 'tsyringe';
import type { ServerOptions, Socket } from '../../server';
import { GATEWAY_OPTIONS } from '../metadata/keys';
import { setMetadata } from '../metadata/write';

/** A namespace as the socket layer accepts it: a name, a pattern or a function. */
export type NamespaceSpec =
  | string
  | RegExp
  | ((
      name: string,
      auth: Record<string, unknown>,
      next: (err: Error | null, allow: boolean) => void,
    ) => void);

/**
 * Options of `@WebSocketGateway()`. Socket server options (`cors`, `path`, `transports`,
 * `pingInterval`, …) may be given at the top level, as NestJS code gives them, or under
 * `serverOptions`.
 */
export interface GatewayOptions extends Partial<ServerOptions> {
  /** Namespace to bind to (default `'/'`); a RegExp or function serves dynamic namespaces. */
  namespace?: NamespaceSpec;
  /**
   * Rooms every accepted socket joins before `handleConnection` runs: a list, or a
   * function of the socket (sync or async).
   */
  rooms?:
    | readonly string[]
    | ((socket: Socket) => string | readonly string[] | Promise<string | readonly string[]>);
  /** Socket-server options; merged in gateway order (top-level ones first), `createApp({ serverOptions })` wins. */
  serverOptions?: Record<string, unknown>;
}

/** What the decorator records: the options and the port (0: the app's own server). */
export interface GatewayRecord extends GatewayOptions {
  port?: number;
}

/**
 * Declares a gateway. The class is also made injectable, so its constructor parameters
 * are resolved by tsyringe. A `port` other than 0, as in NestJS, serves the gateway from a
 * server of its own that listens on that port when the app starts (gateways with the same
 * port share it); without one, the gateway is served by the app's server.
 *
 * @example
 * @WebSocketGateway({ namespace: '/chat', rooms: ['lobby'] })
 * export class ChatGateway {}
 * @example
 * @WebSocketGateway(8081, { namespace: 'events', cors: { origin: '*' } })
 * export class EventsGateway {}
 */
export function WebSocketGateway(port?: number, options?: GatewayOptions): ClassDecorator;
export function WebSocketGateway(options?: GatewayOptions): ClassDecorator;
export function WebSocketGateway(
  portOrOptions?: number | GatewayOptions,
  maybeOptions?: GatewayOptions,
): ClassDecorator {
  const port = typeof portOrOptions === 'number' ? portOrOptions : 0;
  const options = (typeof portOrOptions === 'object' ? portOrOptions : maybeOptions) ?? {};
  return (target) => {
    setMetadata(GATEWAY_OPTIONS, { ...options, port } satisfies GatewayRecord, target);
    injectable()(target as unknown as new (...args: never[]) => unknown);
  };
}

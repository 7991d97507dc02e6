/**
 * `@WebSocketGateway()`: marks a class as a gateway bound to a namespace.
 * @module
 */
// tsyringe checks for the Reflect polyfill when it loads: load it first, so users need not.
import 'reflect-metadata';
import { injectable } from 'tsyringe';
import type { Socket } from '../../server';
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

/** Options of `@WebSocketGateway()`. */
export interface GatewayOptions {
  /** Namespace to bind to (default `'/'`); a RegExp or function serves dynamic namespaces. */
  namespace?: NamespaceSpec;
  /**
   * Rooms every accepted socket joins before `handleConnection` runs: a list, or a
   * function of the socket (sync or async).
   */
  rooms?:
    | readonly string[]
    | ((socket: Socket) => string | readonly string[] | Promise<string | readonly string[]>);
  /** Socket-server options; merged in gateway order, `createApp({ serverOptions })` wins. */
  serverOptions?: Record<string, unknown>;
}

/**
 * Declares a gateway. The class is also made injectable, so its constructor parameters
 * are resolved by tsyringe.
 *
 * @example
 * @WebSocketGateway({ namespace: '/chat', rooms: ['lobby'] })
 * export class ChatGateway {}
 */
export function WebSocketGateway(options: GatewayOptions = {}): ClassDecorator {
  return (target) => {
    setMetadata(GATEWAY_OPTIONS, { ...options }, target);
    injectable()(target as unknown as new (...args: never[]) => unknown);
  };
}

/**
 * What guards, interceptors and exception filters see of the current connection or message.
 * @module
 */
import type { Socket } from '../../server';
import type { InjectionToken } from 'tsyringe';
import type { ArgumentsHost } from './arguments-host';
import type { Type } from './types';

/** A handler method, as `getHandler()` returns it (the function `SetMetadata` wrote on). */
export type HandlerFunction = (...args: never[]) => unknown;

/**
 * The context of one connection attempt (`type === 'connection'`, class-level guards)
 * or one incoming message (`type === 'message'`). It is NestJS's `ExecutionContext`
 * too (`switchToWs()`, `getClass()`, `getHandler()`, `getType()`), with wiregate's
 * flat members beside it.
 *
 * @example
 * canActivate(ctx: ExecutionContext) {
 *   const roles = ctx.getMetadata<string[]>('roles') ?? [];
 *   return roles.includes(ctx.socket.data.user?.role);
 * }
 */
export interface ExecutionContext<S extends Socket = Socket> extends ArgumentsHost {
  /** `'connection'` while class-level guards run at connection time, `'message'` otherwise. */
  readonly type: 'connection' | 'message';
  /** The server-side socket. */
  readonly socket: S;
  /** The event name, or `null` at connection time. */
  readonly event: string | null;
  /** The message's first argument (the payload), `undefined` at connection time. */
  readonly data: unknown;
  /** The socket's handshake (headers, query, auth, address). */
  readonly handshake: S['handshake'];
  /** Every argument the client sent, without the ack callback. */
  getMessageArgs(): unknown[];
  /** The gateway class (at connection time: the gateway whose guards run). */
  getClass<T = Type>(): T;
  /** The handler method (at connection time: a function with no metadata named `connection`). */
  getHandler(): HandlerFunction;
  /** The handler's method name, or `null` at connection time. */
  getHandlerName(): string | null;
  /** Custom metadata set with `SetMetadata` on the handler, falling back to its class. */
  getMetadata<T = unknown>(key: unknown): T | undefined;
  /** Resolves a token from this connection's own container (created on first use). */
  resolve<T>(token: InjectionToken<T>): T;
}

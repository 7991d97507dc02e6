/**
 * NestJS's `ArgumentsHost` surface, as guards, pipes, interceptors and filters written
 * for NestJS call it.
 * @module
 */
import type { Socket } from '../../server';

/** The message's parts, as `host.switchToWs()` gives them. */
export interface WsArgumentsHost {
  /** The server-side socket. */
  getClient<T = Socket>(): T;
  /** The payload: what `@MessageBody()` receives (`undefined` at connection time). */
  getData<T = unknown>(): T;
  /** The event name (`''` at connection time). */
  getPattern(): string;
}

/** NestJS's HTTP view of the arguments, for code that is shared with HTTP handlers. */
export interface HttpArgumentsHost {
  getRequest<T = unknown>(): T;
  getResponse<T = unknown>(): T;
  getNext<T = unknown>(): T;
}

/** NestJS's RPC view of the arguments. */
export interface RpcArgumentsHost {
  getData<T = unknown>(): T;
  getContext<T = unknown>(): T;
}

/**
 * The arguments of the current message as NestJS's host holds them:
 * `[socket, payload, ack, event]` (the ack `undefined` when the client sent none).
 */
export interface ArgumentsHost {
  /** `[socket, payload, ack, event]`. */
  getArgs<T extends unknown[] = unknown[]>(): T;
  /** One of `getArgs()`. */
  getArgByIndex<T = unknown>(index: number): T;
  /** The websocket view: client, data, pattern. */
  switchToWs(): WsArgumentsHost;
  /** `getRequest()` is the socket, `getResponse()` the payload, `getNext()` the ack. */
  switchToHttp(): HttpArgumentsHost;
  /** `getData()` is the payload, `getContext()` the socket. */
  switchToRpc(): RpcArgumentsHost;
  /** Always `'ws'`. */
  getType<T extends string = 'ws'>(): T;
}

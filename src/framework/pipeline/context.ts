/**
 * The per-message (and per-connection-attempt) context object.
 * @module
 */
import type { InjectionToken } from 'tsyringe';
import type { Socket } from '../../server';
import type {
  HttpArgumentsHost,
  RpcArgumentsHost,
  WsArgumentsHost,
} from '../interfaces/arguments-host';
import type { ExecutionContext, HandlerFunction } from '../interfaces/execution-context';
import type { Type } from '../interfaces/types';
import type { InFlight } from './in-flight';

/** Resolves tokens from a socket's own container; implemented by `Connections`. */
export interface ScopeResolver {
  resolve<T>(socket: Socket, token: InjectionToken<T>): T;
}

/** What a context knows about its handler; built once per handler at bootstrap. */
export interface HandlerInfo {
  readonly target: Type | null;
  readonly method: string | null;
  /** The method function (`getHandler()`); `CONNECTION_HANDLER` at connection time. */
  readonly handler?: HandlerFunction;
  readonly event: string | null;
  /** Custom metadata, handler entries over class entries, merged at bootstrap. */
  readonly metadata: ReadonlyMap<unknown, unknown>;
  readonly scopes: ScopeResolver;
  /** Where handler contexts with an armed `handlerTimeout` timer are recorded (none for connection guards). */
  readonly inFlight?: InFlight | null;
  /**
   * NestJS's payload: every client argument as an array when there are several. Off,
   * the payload is the first argument (the `'wiregate'` reply mode).
   */
  readonly allArgsPayload?: boolean;
}

const NO_ARGS: unknown[] = [];

/** What `getHandler()` returns at connection time: no handler runs, no metadata is on it. */
export const CONNECTION_HANDLER: HandlerFunction = function connection() {
  return undefined;
};

/**
 * One context per incoming message. Every field is declared here so all contexts share
 * one shape (docs/internals/code-style.md, "Stable shapes").
 */
export class WsContext implements ExecutionContext {
  readonly type: 'connection' | 'message';
  readonly socket: Socket;
  readonly event: string | null;
  /** The listener's arguments, possibly ending with the ack callback. */
  readonly args: unknown[];
  /** How many of `args` came from the client (the ack excluded). */
  readonly argc: number;
  readonly ack: ((...reply: unknown[]) => void) | null;
  readonly info: HandlerInfo;
  /** Handler arguments, filled by the parameter step. */
  values: unknown[] | null;
  /** Set once the client has been answered (reply, error or timeout). */
  answered: boolean;
  /** Set when the ack handed out by `getArgs()` was called (an exception filter answered). */
  ackCalled: boolean;
  timer: ReturnType<typeof setTimeout> | null;

  constructor(socket: Socket, info: HandlerInfo, args: unknown[], paramCount: number) {
    const n = args.length;
    const last = n > 0 ? args[n - 1] : undefined;
    this.type = info.event === null ? 'connection' : 'message';
    this.socket = socket;
    this.event = info.event;
    this.args = args;
    this.ack = typeof last === 'function' ? (last as (...reply: unknown[]) => void) : null;
    this.argc = this.ack === null ? n : n - 1;
    this.info = info;
    this.values = paramCount === 0 ? null : new Array<unknown>(paramCount);
    this.answered = false;
    this.ackCalled = false;
    this.timer = null;
  }

  /** A context for connection-time guards. */
  static forConnection(socket: Socket, info: HandlerInfo): WsContext {
    return new WsContext(socket, info, NO_ARGS, 0);
  }

  /** The payload: what `@MessageBody()` receives. */
  get data(): unknown {
    const argc = this.argc;
    if (argc === 1 || (argc > 1 && this.info.allArgsPayload !== true)) return this.args[0];
    return argc === 0 ? undefined : this.args.slice(0, argc);
  }

  get handshake(): Socket['handshake'] {
    return this.socket.handshake;
  }

  getMessageArgs(): unknown[] {
    return this.args.slice(0, this.argc);
  }

  getArgs<T extends unknown[] = unknown[]>(): T {
    return [this.socket, this.data, this.trackedAck(), this.event ?? undefined] as T;
  }

  getArgByIndex<T = unknown>(index: number): T {
    return this.getArgs()[index] as T;
  }

  getType<T extends string = 'ws'>(): T {
    return 'ws' as T;
  }

  // The context is its own websocket view: no object per call on the message path.
  switchToWs(): WsArgumentsHost {
    return this;
  }

  switchToHttp(): HttpArgumentsHost {
    return {
      getRequest: <T>() => this.socket as T,
      getResponse: <T>() => this.data as T,
      getNext: <T>() => this.trackedAck() as T,
    };
  }

  switchToRpc(): RpcArgumentsHost {
    return { getData: <T>() => this.data as T, getContext: <T>() => this.socket as T };
  }

  /** The ack as NestJS code receives it from the host: calling it marks the message answered. */
  private trackedAck(): ((...reply: unknown[]) => void) | undefined {
    const ack = this.ack;
    if (ack === null) return undefined;
    return (...reply: unknown[]) => {
      this.ackCalled = true;
      ack(...reply);
    };
  }

  getClient<T = Socket>(): T {
    return this.socket as T;
  }

  getData<T = unknown>(): T {
    return this.data as T;
  }

  getPattern(): string {
    return this.event ?? '';
  }

  getClass<T = Type>(): T {
    return this.info.target as T;
  }

  getHandler(): HandlerFunction {
    return this.info.handler ?? CONNECTION_HANDLER;
  }

  getHandlerName(): string | null {
    return this.info.method;
  }

  getMetadata<T = unknown>(key: unknown): T | undefined {
    return this.info.metadata.get(key) as T | undefined;
  }

  resolve<T>(token: InjectionToken<T>): T {
    return this.info.scopes.resolve(this.socket, token);
  }
}

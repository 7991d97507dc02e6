/**
 * The per-message (and per-connection-attempt) context object.
 * @module
 */
import type { InjectionToken } from 'tsyringe';
import type { Socket } from '../../server';
import type { ExecutionContext } from '../interfaces/execution-context';
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

/**
 * One context per incoming message. Every field is declared here so all contexts share
 * one shape (style.md §7, "Stable shapes").
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

  getArgs(): unknown[] {
    return this.args.slice(0, this.argc);
  }

  getClass(): Type | null {
    return this.info.target;
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

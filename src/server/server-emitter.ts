/**
 * The EventEmitter half of `Server`: `io.on(...)` and friends act on the main namespace, as
 * in socket.io, except for the server's own events (docs/internals/wire-protocol.md, "Server events").
 * @module
 */
import { EventEmitter } from 'node:events';
import type { Namespace } from './namespace';
import type { Socket } from './socket';
import type { DefaultEventsMap, EventNames, EventsMap } from './typed-events';

/** Events the server itself emits (`connection` belongs to the main namespace). */
export interface ServerReservedEvents<Sock> {
  connection: (socket: Sock) => void;
  connect: (socket: Sock) => void;
  new_namespace: (nsp: Namespace) => void;
}

/** Events the server keeps for itself; every other event is the main namespace's. */
const SERVER_EVENTS: ReadonlySet<string | symbol> = new Set(['new_namespace', 'adapter_error']);

function isServerEvent(ev: string | symbol): boolean {
  return SERVER_EVENTS.has(ev);
}

// Listeners of any event: the parameter list is the caller's to declare.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyListenerFn = (...args: any[]) => void;

type ListenerMethod =
  | 'on'
  | 'addListener'
  | 'once'
  | 'prependListener'
  | 'prependOnceListener'
  | 'off'
  | 'removeListener';

/** Event names `io.on` accepts: the server's own events and the server-side events of the cluster. */
export type ServerListenEvent<ServerSideEvents extends EventsMap> =
  keyof ServerReservedEvents<unknown> | EventNames<ServerSideEvents>;

/** The listener type `io.on(ev, ...)` expects. */
export type ServerListener<
  L extends EventsMap,
  E extends EventsMap,
  S extends EventsMap,
  D,
  Ev,
> = Ev extends keyof ServerReservedEvents<unknown>
  ? ServerReservedEvents<Socket<L, E, S, D>>[Ev]
  : Ev extends EventNames<S>
    ? S[Ev]
    : never;

/**
 * Base of `Server`: every listener method forwards to `sockets` (the main namespace) unless
 * the event is the server's own (`new_namespace`).
 */
export abstract class ServerEmitter<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = any, // eslint-disable-line @typescript-eslint/no-explicit-any
> extends EventEmitter {
  /** The main namespace, `/`. */
  abstract readonly sockets: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;

  /**
   * Adds a listener. `new_namespace` belongs to the server; every other event (`connection`,
   * `connect`, server-side events) is the main namespace's, as in socket.io.
   * @example io.on('connection', (socket) => socket.emit('hello'));
   */
  override on<Ev extends ServerListenEvent<ServerSideEvents>>(
    ev: Ev,
    listener: ServerListener<ListenEvents, EmitEvents, ServerSideEvents, SocketData, Ev>,
  ): this {
    return this.forward('on', ev, listener);
  }

  /** Alias of `on`. */
  override addListener<Ev extends ServerListenEvent<ServerSideEvents>>(
    ev: Ev,
    listener: ServerListener<ListenEvents, EmitEvents, ServerSideEvents, SocketData, Ev>,
  ): this {
    return this.forward('addListener', ev, listener);
  }

  /** Adds a one-time listener (forwarded like `on`). */
  override once<Ev extends ServerListenEvent<ServerSideEvents>>(
    ev: Ev,
    listener: ServerListener<ListenEvents, EmitEvents, ServerSideEvents, SocketData, Ev>,
  ): this {
    return this.forward('once', ev, listener);
  }

  /** Adds a listener before the others (forwarded like `on`). */
  override prependListener<Ev extends ServerListenEvent<ServerSideEvents>>(
    ev: Ev,
    listener: ServerListener<ListenEvents, EmitEvents, ServerSideEvents, SocketData, Ev>,
  ): this {
    return this.forward('prependListener', ev, listener);
  }

  /** Adds a one-time listener before the others (forwarded like `on`). */
  override prependOnceListener<Ev extends ServerListenEvent<ServerSideEvents>>(
    ev: Ev,
    listener: ServerListener<ListenEvents, EmitEvents, ServerSideEvents, SocketData, Ev>,
  ): this {
    return this.forward('prependOnceListener', ev, listener);
  }

  /** Removes a listener (forwarded like `on`). */
  override off(ev: string | symbol, listener: AnyListenerFn): this {
    return this.forward('off', ev, listener);
  }

  /** Alias of `off`. */
  override removeListener(ev: string | symbol, listener: AnyListenerFn): this {
    return this.forward('removeListener', ev, listener);
  }

  /** Removes every listener of `ev`, or of every event (server and main namespace). */
  override removeAllListeners(ev?: string | symbol): this {
    if (ev === undefined) {
      super.removeAllListeners();
      this.sockets.removeAllListeners();
    } else if (isServerEvent(ev)) super.removeAllListeners(ev);
    else this.sockets.removeAllListeners(ev);
    return this;
  }

  /** The listeners of `ev` (forwarded like `on`). */
  override listeners(ev: string | symbol): AnyListenerFn[] {
    return (
      isServerEvent(ev) ? super.listeners(ev) : this.sockets.listeners(ev)
    ) as AnyListenerFn[];
  }

  /** The listeners of `ev`, including `once` wrappers (forwarded like `on`). */
  override rawListeners(ev: string | symbol): AnyListenerFn[] {
    return (
      isServerEvent(ev) ? super.rawListeners(ev) : this.sockets.rawListeners(ev)
    ) as AnyListenerFn[];
  }

  /** Number of listeners of `ev` (forwarded like `on`). */
  override listenerCount(ev: string | symbol, listener?: AnyListenerFn): number {
    return isServerEvent(ev)
      ? super.listenerCount(ev, listener)
      : this.sockets.listenerCount(ev, listener);
  }

  /** Events with listeners, on the server and the main namespace. */
  override eventNames(): (string | symbol)[] {
    return [...super.eventNames(), ...this.sockets.eventNames()];
  }

  private forward(method: ListenerMethod, ev: string | symbol, listener: AnyListenerFn): this {
    if (isServerEvent(ev)) EventEmitter.prototype[method].call(this, ev, listener);
    else (this.sockets[method] as (ev: string | symbol, l: unknown) => unknown)(ev, listener);
    return this;
  }
}

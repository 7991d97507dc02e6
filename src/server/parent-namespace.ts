/**
 * Dynamic namespaces: `io.of(/^\/team-\d+$/)` or `io.of((name, auth, next) => …)` create
 * child namespaces on demand (socket-semantics.md §2).
 * @module
 */
import { WiregateError } from '../shared/errors';
import type { RemoteSocket } from './remote-socket';
import { Namespace } from './namespace';
import type { Server } from './server';
import type { DefaultEventsMap, EventNames, EventParams, EventsMap } from './typed-events';

/** Decides whether a namespace name may be created: `next(err, allowed)`. */
export type NamespaceMatcher = (
  name: string,
  auth: Record<string, unknown>,
  next: (err: Error | null, allowed: boolean) => void,
) => void;

/**
 * The namespace returned by `io.of(regex | fn)`. Its middlewares and `connection`
 * listeners are copied to every child it creates; `emit` reaches every child.
 */
export class ParentNamespace<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = any, // eslint-disable-line @typescript-eslint/no-explicit-any
> extends Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
  private static count = 0;
  /** The child namespaces created so far. */
  readonly children = new Set<Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();

  /** @internal */
  constructor(
    server: Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    readonly matcher: NamespaceMatcher,
  ) {
    super(server, `/_${ParentNamespace.count++}`);
  }

  /** Emits to every socket of every child namespace. */
  override emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    for (const child of this.children) child.emit(ev, ...args);
    return true;
  }

  /** @throws WiregateError `WG_ERR_NOT_SUPPORTED`: select a child namespace instead. */
  override fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    throw new WiregateError('WG_ERR_NOT_SUPPORTED', 'fetchSockets() is not supported on parent namespaces');
  }

  /** @internal Creates the child `name` with this namespace's middlewares and listeners. */
  createChild(name: string): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    const child = new Namespace(this.server, name);
    child.middlewares = [...this.middlewares];
    for (const ev of ['connect', 'connection'] as const) {
      for (const listener of this.listeners(ev)) child.on(ev, listener as never);
    }
    this.children.add(child);
    this.server.registerChild(child);
    if (this.server.options.cleanupEmptyChildNamespaces) {
      child.on('disconnectedLast' as never, (() => this.removeChildIfEmpty(child)) as never);
    }
    return child;
  }

  private removeChildIfEmpty(child: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    if (child.sockets.size > 0) return;
    this.children.delete(child);
    this.server.nsps.delete(child.name);
    void child.adapter.close();
  }
}

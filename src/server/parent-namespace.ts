/**
 * Dynamic namespaces: `io.of(/^\/team-\d+$/)` or `io.of((name, auth, next) => …)` create
 * child namespaces on demand (docs/internals/server-semantics.md, "Namespaces").
 * @module
 */
import { WiregateError } from '../shared/errors';
import type { Packet } from '../protocol';
import type { AdapterNamespace, BroadcastOptions } from './adapter/adapter';
import { InMemoryAdapter } from './adapter/in-memory-adapter';
import { reportRejection } from './adapter/adapter-calls';
import { BroadcastOperator } from './broadcast-operator';
import type { RemoteSocket } from './remote-socket';
import { Namespace } from './namespace';
import type { Server } from './server';
import type { DefaultEventsMap, EventsMap } from './typed-events';

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

  /** @internal Broadcasts of the parent (`emit`, `to(room).emit`, ...) go to every child. */
  override initAdapter(): void {
    this.adapter = new ParentBroadcastAdapter(this);
    this.all = new BroadcastOperator(this.adapter);
  }

  /** @throws WiregateError `WG_ERR_NOT_SUPPORTED`: select a child namespace instead. */
  override fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    throw new WiregateError(
      'WG_ERR_NOT_SUPPORTED',
      'fetchSockets() is not supported on parent namespaces',
    );
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
    if (this.server.options.cleanupEmptyChildNamespaces)
      child.onEmpty = () => this.removeChild(child);
    return child;
  }

  /** `cleanupEmptyChildNamespaces`: the child's last socket left; forget the child. */
  private removeChild(
    child: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
  ): void {
    this.children.delete(child);
    if (this.server.nsps.get(child.name) === child) this.server.nsps.delete(child.name);
    reportRejection(child.adapter.close(), child.reportAdapterError);
  }
}

/**
 * The parent's adapter: it has no sockets of its own; a broadcast is re-addressed to each child
 * namespace (the packet names the child) and runs through that child's adapter.
 */
class ParentBroadcastAdapter extends InMemoryAdapter {
  constructor(private readonly parent: { children: Set<Namespace> }) {
    super(parent as unknown as AdapterNamespace);
  }

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    for (const child of this.parent.children)
      reportRejection(
        child.adapter.broadcast({ ...packet, nsp: child.name }, opts),
        child.reportAdapterError,
      );
  }
}

/**
 * `RemoteSocket`: a socket returned by `fetchSockets()` that lives on another server
 * (docs/internals/server-semantics.md, "Utility methods"). Its methods act through the adapter, so they work anywhere.
 * @module
 */
import type { Room, SocketDetails, SocketId } from './adapter/adapter';
import type { InMemoryAdapter } from './adapter/in-memory-adapter';
import { BroadcastOperator } from './broadcast-operator';
import type { Handshake } from './handshake';
import type {
  DefaultEventsMap,
  EventNames,
  EventParams,
  EventsMap,
  TimeoutAckParams,
} from './typed-events';

/**
 * A socket of the cluster, seen from this server.
 *
 * @example
 * const [socket] = await io.in(userId).fetchSockets();
 * socket.emit('kicked');
 * socket.disconnect();
 */
export class RemoteSocket<
  EmitEvents extends EventsMap = DefaultEventsMap,
  SocketData = any, // eslint-disable-line @typescript-eslint/no-explicit-any
> {
  readonly id: SocketId;
  readonly handshake: Handshake;
  readonly rooms: Set<Room>;
  readonly data: SocketData;
  private readonly operator: BroadcastOperator<EmitEvents, SocketData>;

  /** @internal */
  constructor(adapter: InMemoryAdapter, details: SocketDetails<SocketData>) {
    this.id = details.id;
    this.handshake = details.handshake;
    this.rooms = new Set(details.rooms);
    this.data = details.data;
    this.operator = new BroadcastOperator(adapter, new Set([this.id]), new Set(), {
      expectSingleResponse: true,
    });
  }

  /** Emits to this socket, wherever it is. An ack callback gets `(err, reply)`. */
  emit<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: TimeoutAckParams<EventParams<EmitEvents, Ev>>
  ): boolean {
    return (this.operator.emit as (ev: Ev, ...rest: unknown[]) => boolean)(ev, ...args);
  }

  /** An operator whose ack gets an error after `ms`. */
  timeout(ms: number): BroadcastOperator<EmitEvents, SocketData> {
    return this.operator.timeout(ms);
  }

  /** Joins rooms. */
  join(room: Room | Room[]): Promise<void> {
    return this.operator.socketsJoin(room);
  }

  /** Leaves rooms. */
  leave(room: Room | Room[]): Promise<void> {
    return this.operator.socketsLeave(room);
  }

  /** Disconnects it; with `close`, its whole connection. */
  disconnect(close = false): this {
    void this.operator.disconnectSockets(close).catch(() => {
      // A remote disconnect that fails (server gone) leaves nothing to undo here.
    });
    return this;
  }
}

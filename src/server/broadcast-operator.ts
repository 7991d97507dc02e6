/**
 * `BroadcastOperator`: an immutable selection of sockets (rooms, exceptions, flags) and
 * the operations on it (docs/internals/server-semantics.md, "Broadcasting" and "Utility methods").
 * @module
 */
import { PacketType, type Packet } from '../protocol';
import { WiregateError } from '../shared/errors';
import type {
  AdapterSocket,
  BroadcastFlags,
  BroadcastOptions,
  Room,
  SocketDetails,
  SocketId,
} from './adapter/adapter';
import type { InMemoryAdapter } from './adapter/in-memory-adapter';
import { isThenable, reportRejection, toReportedPromise } from './adapter/adapter-calls';
import { BROADCAST_REGISTRIES, type AckRegistry, type BroadcastAck } from './ack-registry';
import { RemoteSocket } from './remote-socket';
import { assertNotReserved } from './reserved';
import type {
  AllButLast,
  BroadcastAckParams,
  DefaultEventsMap,
  EventNames,
  EventParams,
  EventsMap,
  FirstArg,
  Last,
} from './typed-events';

/** Flags a broadcast operator carries. */
export interface OperatorFlags extends BroadcastFlags {
  /** @internal A RemoteSocket's emit: the ack gets one reply, not a list. */
  expectSingleResponse?: boolean;
}

/** The adapter as the operator sees it: the room index plus the namespace's ack ids. */
type OperatorAdapter = InMemoryAdapter & {
  nsp: {
    nextAckId(): number;
    name: string;
    trackBroadcastAck?(pending: PendingBroadcastAck): void;
    untrackBroadcastAck?(pending: PendingBroadcastAck): void;
    reportAdapterError?(err: unknown): void;
  };
};

/** A broadcast with acks under a timeout, still waiting: `io.close()` fails it at once. */
export interface PendingBroadcastAck {
  fail(message: string): void;
}

/**
 * A selection of sockets. Each method returns a new operator; the original is unchanged.
 *
 * @example
 * io.to('room1').to(['room2', 'room3']).except('room4').emit('hello');
 * const replies = await io.timeout(1000).emitWithAck('status');
 */
export class BroadcastOperator<
  EmitEvents extends EventsMap = DefaultEventsMap,
  SocketData = any, // eslint-disable-line @typescript-eslint/no-explicit-any
> {
  /** @internal */
  constructor(
    private readonly adapter: InMemoryAdapter,
    private readonly rooms: Set<Room> = new Set(),
    private readonly exceptRooms: Set<Room> = new Set(),
    private readonly flags: OperatorFlags = {},
  ) {}

  /** Adds rooms to the selection (union). */
  to(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    const rooms = new Set(this.rooms);
    for (const r of toArray(room)) rooms.add(r);
    return new BroadcastOperator(this.adapter, rooms, this.exceptRooms, this.flags);
  }

  /** Alias of `to`. */
  in(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.to(room);
  }

  /** Removes the sockets of these rooms from the selection. */
  except(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    const except = new Set(this.exceptRooms);
    for (const r of toArray(room)) except.add(r);
    return new BroadcastOperator(this.adapter, this.rooms, except, this.flags);
  }

  /** Sets the compression flag. */
  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return this.withFlags({ compress });
  }

  /** The packet may be dropped for clients that are not ready. */
  get volatile(): BroadcastOperator<EmitEvents, SocketData> {
    return this.withFlags({ volatile: true });
  }

  /** This server only, in a cluster. */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this.withFlags({ local: true });
  }

  /** The ack callback gets `(err, responses)` after `ms` if not every client answered. */
  timeout(ms: number): BroadcastOperator<EmitEvents, SocketData> {
    return this.withFlags({ timeout: ms });
  }

  /**
   * Emits to every selected socket. With a function as last argument, it gets
   * `(err, responses[])` once every recipient answered (or the timeout fired).
   * @throws WiregateError `WG_ERR_RESERVED_EVENT` for reserved names.
   */
  emit<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: BroadcastAckParams<EventParams<EmitEvents, Ev>>
  ): boolean {
    assertNotReserved(ev);
    const data: unknown[] = [ev, ...args];
    const packet: Packet = { type: PacketType.EVENT, nsp: this.adapter.nsp.name, data };
    if (typeof data[data.length - 1] !== 'function') {
      // socket.io-adapter's cluster adapters publish asynchronously: a failure is reported.
      reportRejection(this.adapter.broadcast(packet, this.options()), this.report);
      return true;
    }
    this.emitWithAckCallback(packet, data.pop() as (err: Error | null, replies: unknown) => void);
    return true;
  }

  /**
   * Emits and resolves with every recipient's reply. Rejects on timeout with an error
   * whose `responses` holds the replies received so far.
   */
  emitWithAck<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstArg<Last<EventParams<EmitEvents, Ev>>>[]> {
    return new Promise((resolve, reject) => {
      const ack = (err: Error | null, replies: FirstArg<Last<EventParams<EmitEvents, Ev>>>[]) =>
        err ? reject(err) : resolve(replies);
      (this.emit as (ev: Ev, ...rest: unknown[]) => boolean)(ev, ...args, ack);
    });
  }

  /** Ids of the selected sockets (deprecated in socket.io; kept for compatibility). */
  allSockets(): Promise<Set<SocketId>> {
    return this.adapter.sockets(this.rooms);
  }

  /**
   * The selected sockets, from every server of the cluster.
   * @example const [socket] = await io.in(socketId).fetchSockets();
   */
  async fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    const found = await this.adapter.fetchSockets(this.options());
    return found.map((s) =>
      isLocalSocket(s)
        ? (s as unknown as RemoteSocket<EmitEvents, SocketData>)
        : new RemoteSocket(this.adapter, s as SocketDetails<SocketData>),
    );
  }

  /**
   * Every selected socket joins the rooms.
   * @example await io.in('game-7').socketsJoin('spectators');
   */
  socketsJoin(room: Room | Room[]): Promise<void> {
    // socket.io's socketsJoin returns nothing, so code written for it never awaits: a failure is
    // reported as well as rejected, and an ignored promise is no unhandled rejection.
    return toReportedPromise(this.adapter.addSockets(this.options(), toArray(room)), this.report);
  }

  /**
   * Every selected socket leaves the rooms.
   * @example await io.in('game-7').socketsLeave('spectators');
   */
  socketsLeave(room: Room | Room[]): Promise<void> {
    return toReportedPromise(this.adapter.delSockets(this.options(), toArray(room)), this.report);
  }

  /**
   * Every selected socket is disconnected; with `close`, its whole connection too.
   * @example await io.in(`user:${id}`).disconnectSockets(true);
   */
  disconnectSockets(close = false): Promise<void> {
    return toReportedPromise(this.adapter.disconnectSockets(this.options(), close), this.report);
  }

  /**
   * Where failures of the adapter's asynchronous work go: the namespace's own (bound) report.
   * Looked up, not made: operators are created per `to()`, and a closure each would be an
   * allocation on the broadcast path.
   */
  private get report(): (err: unknown) => void {
    const report = (this.adapter as OperatorAdapter).nsp.reportAdapterError;
    return typeof report === 'function' ? report : warnAdapterError;
  }

  private options(): BroadcastOptions {
    return { rooms: this.rooms, except: this.exceptRooms, flags: this.flags };
  }

  private withFlags(flags: OperatorFlags): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator(this.adapter, this.rooms, this.exceptRooms, {
      ...this.flags,
      ...flags,
    });
  }

  private emitWithAckCallback(
    packet: Packet,
    ack: (err: Error | null, replies: unknown) => void,
  ): void {
    const adapter = this.adapter as OperatorAdapter;
    packet.id = adapter.nsp.nextAckId();
    const single = this.flags.expectSingleResponse === true;
    const responses: unknown[] = [];
    let done = false;
    let expectedServers = -1;
    let answeredServers = 0;
    let expectedClients = 0;
    let timer: NodeJS.Timeout | null = null;
    const failWith = (message: string) => {
      if (done) return;
      const err = new WiregateError('WG_ERR_ACK_TIMEOUT', message);
      finish(Object.assign(err, { responses }));
    };
    const pending: PendingBroadcastAck = { fail: failWith };
    // Under a timeout, the registries that took the recipients' ack: on finish their entries
    // go (a client that never answers would otherwise keep them, counted by maxPendingAcks).
    // Without a timeout the broadcast waits for every reply, like socket.io.
    const registries: AckRegistry[] | null = this.flags.timeout === undefined ? null : [];
    const finish = (err: Error | null) => {
      done = true;
      if (timer !== null) {
        clearTimeout(timer);
        adapter.nsp.untrackBroadcastAck?.(pending);
      }
      if (registries !== null) {
        // Read now: adapters built on socket.io-adapter give the packet an id of their own.
        const id = packet.id!;
        for (const registry of registries) registry.delete(id);
        registries.length = 0;
      }
      // Called from a timer or a promise: a throwing callback must not end the process.
      try {
        ack(err, single ? responses[0] : responses);
      } catch (error) {
        process.emitWarning(error instanceof Error ? error.message : String(error), {
          type: 'WiregateAckError',
        });
      }
    };
    const check = () => {
      if (!done && expectedServers === answeredServers && responses.length === expectedClients)
        finish(null);
    };
    const recipientAck: BroadcastAck = (reply) => {
      if (done) return;
      responses.push(reply);
      check();
    };
    if (registries !== null) recipientAck[BROADCAST_REGISTRIES] = registries;
    const sent: unknown = adapter.broadcastWithAck(
      packet,
      this.options(),
      (count) => {
        expectedClients += count;
        answeredServers++;
        check();
      },
      recipientAck,
    );
    // An adapter whose asynchronous broadcast failed: the caller's ack hears of it.
    if (isThenable(sent)) {
      sent.then(undefined, (err: unknown) => {
        if (!done) finish(err instanceof Error ? err : new Error(String(err)));
      });
    }
    // Armed only once the packet went out: an emit that throws (unserialisable data) leaves no timer.
    const ms = this.flags.timeout;
    if (ms !== undefined && !done) {
      timer = setTimeout(failWith, ms, 'operation has timed out');
      adapter.nsp.trackBroadcastAck?.(pending);
    }
    const servers = this.flags.local ? Promise.resolve(1) : adapter.serverCount();
    servers.then(
      (n) => {
        expectedServers = n;
        check();
      },
      (err: unknown) => {
        if (!done) finish(err instanceof Error ? err : new Error(String(err)));
      },
    );
  }
}

/** The report of an adapter whose namespace has none of its own. */
function warnAdapterError(err: unknown): void {
  process.emitWarning(err instanceof Error ? err.message : String(err), {
    type: 'WiregateAdapterError',
  });
}

function toArray(room: Room | Room[]): Room[] {
  return Array.isArray(room) ? room : [room];
}

function isLocalSocket(s: AdapterSocket | SocketDetails): s is AdapterSocket {
  return typeof (s as AdapterSocket).writeEncoded === 'function';
}

/**
 * Event-map typing shared by Server, Namespace, Socket and BroadcastOperator, so that
 * `socket.emit`/`socket.on` are checked against the user's event maps (as in socket.io).
 * @module
 */
import { EventEmitter } from 'node:events';

/** A map from event name to the listener signature of that event. */
export interface EventsMap {
  // `any` (not a function type) so that maps declared as interfaces, which have no implicit
  // index signature, are accepted, as in socket.io.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [event: string]: any;
}

/** The event map used when none is given: any event, any arguments. */
export interface DefaultEventsMap {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [event: string]: (...args: any[]) => void;
}

/** Names of the events of a map. */
export type EventNames<Map extends EventsMap> = keyof Map & (string | symbol);

/** Parameters of one event's listener. */
export type EventParams<Map extends EventsMap, Ev extends EventNames<Map>> = Parameters<Map[Ev]>;

/** The listener type of one event. */
export type EventListener<Map extends EventsMap, Ev extends EventNames<Map>> = Map[Ev];

/** Drops the last element of a tuple (the ack callback). */
export type AllButLast<T extends unknown[]> = T extends [...infer Head, unknown] ? Head : unknown[];

/** The last element of a tuple. */
export type Last<T extends unknown[]> = T extends [...unknown[], infer L] ? L : never;

/** Turns an ack callback `(reply) => void` into its timeout form `(err, reply) => void`. */
export type WithTimeoutAck<Fn> = Fn extends (...args: infer Args) => infer R
  ? (err: Error | null, ...args: Args) => R
  : never;

/** First parameter of an ack callback, as `emitWithAck` resolves it. */
export type FirstArg<Fn> = Fn extends (arg: infer A, ...rest: any[]) => unknown ? A : unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The reply `emitWithAck` resolves with: the ack's first argument, or its second after an `err`. */
export type AckReply<Fn> = Fn extends (...args: infer A) => unknown
  ? A[0] extends Error | null
    ? A[1]
    : A[0]
  : unknown;

/** An ack of a broadcast: every recipient's first reply, after the error, `(err, replies[])`. */
export type WithMultipleResponses<Fn> = Fn extends (...args: infer A) => infer R
  ? (err: Error | null, responses: A[0][]) => R
  : Fn;

// Any function, whatever its parameters: used to find the ack among an event's parameters.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => unknown;

/** Parameters of an event where each function (the ack) takes the timeout error first. */
export type TimeoutAckParams<P extends unknown[]> = {
  [K in keyof P]: P[K] extends AnyFunction ? WithTimeoutAck<P[K]> : P[K];
};

/** Parameters of an event as a broadcast takes them: the ack gets `(err, replies[])`. */
export type BroadcastAckParams<P extends unknown[]> = {
  [K in keyof P]: P[K] extends AnyFunction ? WithMultipleResponses<P[K]> : P[K];
};

/** An event map whose acks take the timeout error first: what `socket.timeout(ms)` emits with. */
export type DecorateAcknowledgements<E extends EventsMap> = {
  [K in keyof E]: E[K] extends (...args: infer P) => infer R
    ? (...args: TimeoutAckParams<P>) => R
    : E[K];
};

/** The listener of `Ev`, looked up in the reserved events first. */
export type ListenerOf<L extends EventsMap, R extends EventsMap, Ev> =
  Ev extends EventNames<R> ? R[Ev] : Ev extends EventNames<L> ? L[Ev] : never;

/**
 * An EventEmitter whose `on`/`once`/`off` are typed by `ListenEvents`, with
 * `ReservedEvents` (e.g. `connection`, `disconnect`) typed alongside.
 */
export class TypedEmitter<
  ListenEvents extends EventsMap,
  ReservedEvents extends EventsMap,
> extends EventEmitter {
  override on<Ev extends EventNames<ListenEvents> | EventNames<ReservedEvents>>(
    ev: Ev,
    listener: ListenerOf<ListenEvents, ReservedEvents, Ev>,
  ): this {
    return super.on(ev, listener);
  }

  override once<Ev extends EventNames<ListenEvents> | EventNames<ReservedEvents>>(
    ev: Ev,
    listener: ListenerOf<ListenEvents, ReservedEvents, Ev>,
  ): this {
    return super.once(ev, listener);
  }

  /** @internal Emits to local listeners without the outgoing semantics of subclasses' `emit`. */
  emitReserved(ev: string, ...args: unknown[]): boolean {
    return super.emit(ev, ...args);
  }
}

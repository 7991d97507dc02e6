/**
 * The acknowledgements one socket waits for: callbacks by ack id and, for emits under
 * `timeout(ms)`, their timers (docs/internals/wire-protocol.md, "Events and acknowledgements").
 * @module
 */
import { PacketType, type Packet } from '../protocol';
import { WiregateError } from '../shared/errors';

/** An acknowledgement callback. */
export type Ack = (...args: unknown[]) => void;

/**
 * Key of the registries list a broadcast under a timeout hangs on its (one, shared) ack
 * callback: each registry that takes that callback adds itself, so that the broadcast can
 * drop its entries when it finishes. Works for adapters built on socket.io-adapter too, which
 * register with `socket.acks.set(id, ack)`.
 */
export const BROADCAST_REGISTRIES: unique symbol = Symbol('wiregate.broadcastRegistries');

/** The ack callback of a broadcast; under a timeout it lists the registries holding it. */
export type BroadcastAck = Ack & { [BROADCAST_REGISTRIES]?: AckRegistry[] };

/** Who hears about an ack callback that threw. */
export interface AckOwner {
  onError(err: unknown): void;
}

/**
 * Pending acks of one socket. A reply settles its ack once; an ack under a timeout is called
 * `(err, ...reply)` and fails with `operation has timed out` after `ms`, or at once with
 * `socket has been disconnected` when the socket goes (`failTimed`).
 */
export class AckRegistry {
  private readonly acks = new Map<number, Ack>();
  /** Timers of the acks under a timeout (lazy: most emits have none). */
  private timers: Map<number, NodeJS.Timeout> | null = null;

  constructor(private readonly owner: AckOwner) {}

  /** Number of acks waiting for a reply (server/limits.ts `maxPendingAcks`). */
  get size(): number {
    return this.acks.size;
  }

  /** Waits for the reply to `id`. */
  add(id: number, ack: Ack): void {
    this.acks.set(id, ack);
  }

  /**
   * Waits for a recipient's reply to a broadcast. A broadcast under a timeout learns of this
   * registry (see `BROADCAST_REGISTRIES`): when it times out, the entry goes, rather than
   * count towards `maxPendingAcks` forever.
   */
  addBroadcast(id: number, ack: BroadcastAck): void {
    this.acks.set(id, ack);
    const registries = ack[BROADCAST_REGISTRIES];
    if (registries !== undefined) registries.push(this);
  }

  /** `addBroadcast` under the name of socket.io's `socket.acks` Map, which socket.io-adapter calls. */
  set(id: number, ack: Ack): this {
    this.addBroadcast(id, ack);
    return this;
  }

  /** Forgets the entry of `id` without calling it (its broadcast is over). */
  delete(id: number): boolean {
    return this.acks.delete(id);
  }

  /** Whether an ack waits for the reply to `id`. */
  has(id: number): boolean {
    return this.acks.has(id);
  }

  /** Waits for the reply to `id` for at most `ms`. */
  addWithTimeout(id: number, ack: Ack, ms: number): void {
    this.acks.set(id, ack);
    (this.timers ??= new Map()).set(id, setTimeout(timerOnTimeout, ms, this, id));
  }

  /** A reply arrived: calls its ack once; unknown ids (late or never asked) are ignored. */
  settle(id: number, args: unknown[]): void {
    const ack = this.acks.get(id);
    if (ack === undefined) return;
    this.acks.delete(id);
    const timer = this.timers?.get(id);
    if (timer === undefined) return this.call(ack, args);
    clearTimeout(timer);
    this.timers!.delete(id);
    this.call(ack, [null, ...args]);
  }

  /** Fails one ack under a timeout with a `WG_ERR_ACK_TIMEOUT` error. */
  fail(id: number, message: string): void {
    const timer = this.timers?.get(id);
    const ack = this.acks.get(id);
    if (timer === undefined || ack === undefined) return;
    clearTimeout(timer);
    this.timers!.delete(id);
    this.acks.delete(id);
    this.call(ack, [new WiregateError('WG_ERR_ACK_TIMEOUT', message)]);
  }

  /** No reply can come any more: fails every ack under a timeout, forgets the others. */
  failTimed(message: string): void {
    if (this.timers !== null) for (const id of [...this.timers.keys()]) this.fail(id, message);
    this.acks.clear();
  }

  private call(ack: Ack, args: unknown[]): void {
    try {
      ack(...args);
    } catch (err) {
      this.owner.onError(err);
    }
  }
}

function timerOnTimeout(registry: AckRegistry, id: number): void {
  registry.fail(id, 'operation has timed out');
}

/** What an ack reply needs from its socket. */
export interface AckingSocket {
  readonly connected: boolean;
  readonly nsp: { readonly name: string };
  readonly client: { writePacket(packet: Packet, flags: undefined): void };
}

/**
 * The callback a listener gets for an event the client sent with ack `id`: answers once,
 * and only while the socket is connected.
 */
export function createAckReply(socket: AckingSocket, id: number): Ack {
  let sent = false;
  return (...args: unknown[]) => {
    if (sent || !socket.connected) return;
    sent = true;
    socket.client.writePacket(
      { type: PacketType.ACK, nsp: socket.nsp.name, id, data: args },
      undefined,
    );
  };
}

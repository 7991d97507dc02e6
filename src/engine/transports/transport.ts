/**
 * The contract between an engine session and the physical connection carrying it.
 * @module
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { EnginePacket, EnginePacketType } from '../packet';

/** Name of a transport, as in the `transport` query parameter. */
export type TransportName = 'polling' | 'websocket';

/** What a transport reports to: the session it carries (or is a candidate for). */
export interface TransportOwner {
  onTransportPacket(transport: Transport, packet: EnginePacket): void;
  onTransportError(transport: Transport, reason: 'parse error' | 'transport error', err?: Error): void;
  onTransportClose(transport: Transport): void;
  onTransportDrain(transport: Transport): void;
}

/**
 * A transport moves Engine.IO packets for one session.
 *
 * It reports to its `owner` (the session) by direct calls, and also emits these events
 * for anyone else listening: `packet(packet)` for each decoded incoming packet;
 * `error(reason, description)` when the connection failed or sent something undecodable
 * (`parse error` or `transport error`); `close()` when the peer went away; `drain()` when
 * it became writable (polling: a GET arrived).
 */
export abstract class Transport extends EventEmitter {
  /** The transport's name on the wire. */
  abstract readonly name: TransportName;
  /** Whether `send` may be called now; the session buffers packets otherwise. */
  writable = false;
  /** Whether the transport was closed (by either side). */
  isClosed = false;
  /**
   * @internal The session this transport reports to (a direct call, no listener on this
   * emitter: docs/internals/code-style.md, "No per-connection closures", docs/benchmarks.md finding 4); null once it was let go.
   */
  owner: TransportOwner | null = null;

  constructor(
    /** The request that created this transport (opening GET or WebSocket upgrade). */
    public request: IncomingMessage,
  ) {
    super();
    dropEmptyListenerTable(this);
  }

  /** @internal Hands a decoded packet to the owner, then to `packet` listeners. */
  protected reportPacket(packet: EnginePacket): void {
    this.owner?.onTransportPacket(this, packet);
    if (hasListener(this, 'packet')) this.emit('packet', packet);
  }

  /** @internal Reports a failure; `error` is emitted only to listeners (never into the void). */
  protected reportError(reason: 'parse error' | 'transport error', err: Error): void {
    this.owner?.onTransportError(this, reason, err);
    if (hasListener(this, 'error')) this.emit('error', reason, err);
  }

  /** @internal Reports that the peer went away. */
  protected reportClose(): void {
    this.owner?.onTransportClose(this);
    if (hasListener(this, 'close')) this.emit('close');
  }

  /** @internal Reports that the transport can take packets again. */
  protected reportDrain(): void {
    this.owner?.onTransportDrain(this);
    if (hasListener(this, 'drain')) this.emit('drain');
  }

  /** Sends packets; only called while `writable`. */
  abstract send(packets: EnginePacket[]): void;

  /**
   * Sends one packet while `writable` and nothing is buffered (the session's fast path);
   * the same as `send([packet])`, which is what transports without a cheaper way do.
   */
  sendOne(type: EnginePacketType, data?: string | Buffer, compress?: boolean, onSent?: () => void): void {
    const packet: EnginePacket = data === undefined ? { type } : { type, data };
    if (compress === false) packet.compress = false;
    if (onSent !== undefined) packet.onSent = onSent;
    this.send([packet]);
  }

  /**
   * Ends the transport from the server side and tells the client (polling: a held GET
   * gets `1`; without one, `discard` ends at once while a graceful close lingers to give
   * the next GETs the `leftovers`, then `6\x1e1`; WebSocket: a close frame).
   */
  abstract close(discard: boolean, leftovers?: EnginePacket[]): void;

  /** Drops the transport without a close packet: a held GET gets `6` (after an upgrade, or a client `1`). */
  abstract discard(): void;

  /** Bytes handed to the OS and not yet sent, for slow-consumer checks. */
  get bufferedAmount(): number {
    return 0;
  }

  /** Whether the transport outlives its closed session to tell the client (polling only). */
  get isLingering(): boolean {
    return false;
  }

  /** Releases a held request with a noop during an upgrade (polling only). */
  releaseForUpgrade(): void {}

  /** Whether a held receive request is pending (polling only). */
  get hasPendingReceive(): boolean {
    return false;
  }
}

/**
 * Idle memory (docs/benchmarks.md, finding 4): `EventEmitter` gives every instance a
 * null-prototype listener table, a dictionary of ~190 bytes, even when nobody ever
 * listens. Sessions and transports report to their owners by direct calls, so most never
 * get a listener: the table is dropped here and created by the first `on()`. Every
 * `EventEmitter` method accepts a missing table (`_events === undefined`); Node's own
 * streams preset `_events` in the same spirit, to keep it out of dictionary mode.
 * @internal
 */
export function dropEmptyListenerTable(emitter: EventEmitter): void {
  (emitter as unknown as { _events: object | undefined })._events = undefined;
}

/**
 * @internal Whether an emitter whose table may have been dropped has a listener for
 * `event`, without `listenerCount`'s call: one property read when nobody listens at all.
 */
export function hasListener(emitter: EventEmitter, event: string): boolean {
  const events = (emitter as unknown as { _events: Record<string, unknown> | undefined })._events;
  return events !== undefined && events[event] !== undefined;
}

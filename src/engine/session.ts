/**
 * One Engine.IO session (socket.io's "engine socket"): heartbeat, outgoing buffer,
 * transport switch on upgrade, close reasons (docs/internals/wire-protocol.md, "Upgrade" and "Heartbeat" and "Closing a session").
 * @module
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { DeadlineLists } from '../shared/deadline-list';
import { isSlowConsumer, queuedSize, slowConsumerError } from './limits';
import { expectClientPing, stopExpectingClientPing } from './v3/heartbeat';
import type { EnginePacket, EnginePacketType } from './packet';
import {
  dropEmptyListenerTable,
  hasListener,
  type Transport,
  type TransportName,
} from './transports/transport';

/** Why a session ended (docs/internals/wire-protocol.md, "Closing a session"). */
export type SessionCloseReason =
  | 'transport close'
  | 'transport error'
  | 'ping timeout'
  | 'parse error'
  | 'forced close'
  | 'server shutting down'
  | 'slow consumer';

/** Settings a session needs from the engine. */
export interface SessionSettings {
  pingInterval: number;
  pingTimeout: number;
  upgradeTimeout: number;
  maxHttpBufferSize: number;
  /** Transports this session may upgrade to, announced in the open packet. */
  upgrades: TransportName[];
  /** Outgoing backlog limit in bytes (engine/limits.ts); unlimited when absent. */
  maxBufferedBytes?: number;
}

/**
 * What the layer above (the Socket.IO connection) is told, by direct calls rather than
 * listeners on the session (docs/benchmarks.md, finding 4). The `message` and `close`
 * events are still emitted, after these calls, for anyone listening.
 */
export interface SessionHandler {
  onSessionMessage(data: string | Buffer): void;
  onSessionClose(reason: SessionCloseReason, description?: Error): void;
}

/** Engine.IO protocol revision of a session: 4, or 3 for old clients behind `allowEIO3`. */
export type EngineProtocol = 3 | 4;

/** Options of `session.send`. */
export interface SendOptions {
  /** Permessage-deflate hint; `false` sends this message uncompressed. */
  compress?: boolean;
}

type ReadyState = 'opening' | 'open' | 'closing' | 'closed';

/** docs/internals/wire-protocol.md, "Upgrade": how often a held GET is released while the client finishes an upgrade. */
const UPGRADE_NOOP_INTERVAL = 100;
const PROBE_REPLY: EnginePacket[] = [{ type: 'pong', data: 'probe' }];

/**
 * An Engine.IO session, exposed as `socket.conn` and in `io.engine`'s `connection` event.
 *
 * Events: `message(data)`, `close(reason, description)`, `packet(packet)`,
 * `packetCreate(packet)`, `heartbeat()`, `flush(packets)`, `drain()`,
 * `upgrading(transport)`, `upgrade(transport)`.
 *
 * @example
 * engine.on('connection', (conn) => {
 *   conn.on('message', (data) => conn.send(data));
 * });
 */
export class EngineSession extends EventEmitter {
  /** Engine.IO protocol revision this session speaks (3 only with `allowEIO3`). */
  readonly protocol: EngineProtocol;
  /** `opening`, `open`, `closing` (graceful close under way) or `closed`. */
  readyState: ReadyState = 'opening';
  /** Whether the session moved from polling to WebSocket. */
  upgraded = false;
  /** Whether an upgrade is in flight. */
  upgrading = false;
  /** The client's IP address. */
  readonly remoteAddress: string;
  /** The opening HTTP request (the first GET, or the WebSocket upgrade of a WebSocket-only session). */
  readonly request: IncomingMessage;
  /** The transport currently carrying the session. */
  transport: Transport;

  /** Packets waiting for the transport; null (the usual case) while nothing waits. */
  private writeBuffer: EnginePacket[] | null = null;
  /** Size of `writeBuffer`, counted where packets enter (engine/limits.ts `queuedSize`). */
  private queuedBytes = 0;
  /** @internal When the next ping is due (shared/deadline-list.ts: the sessions' ping schedule). */
  deadline = 0;
  /** @internal */
  deadlinePrev: EngineSession | null = null;
  /** @internal */
  deadlineNext: EngineSession | null = null;
  private pongTimer: NodeJS.Timeout | null = null;
  private upgradeTimer: NodeJS.Timeout | null = null;
  private noopTimer: NodeJS.Timeout | null = null;
  private candidate: Transport | null = null;
  /** @internal The engine that keeps this session in `clients`; told first when the session closes. */
  engine: { onSessionClose(session: EngineSession): void } | null = null;
  /** @internal The layer above (server/connection.ts), told of messages and the close. */
  handler: SessionHandler | null = null;

  constructor(
    /** The session id (`sid`), never a Socket.IO socket id. */
    readonly id: string,
    transport: Transport,
    private readonly settings: SessionSettings,
    protocol: EngineProtocol = 4,
  ) {
    super();
    this.protocol = protocol;
    // Nothing of ours listens to the session: the table is made by the first user listener.
    dropEmptyListenerTable(this);
    this.transport = transport;
    this.request = transport.request;
    this.remoteAddress = transport.request.socket?.remoteAddress ?? '';
    this.bindTransport(transport);
  }

  /** @internal Sends the open packet and starts the heartbeat. */
  open(initialPacket?: string | Buffer): void {
    this.readyState = 'open';
    this.sendPacket('open', `{"sid":${JSON.stringify(this.id)}${openPacketTail(this.settings)}`);
    if (initialPacket !== undefined) this.sendPacket('message', initialPacket);
    // Chosen once per session: in v3 the client pings (engine/v3/heartbeat.ts).
    if (this.protocol === 3) expectClientPing(this, this.settings);
    else this.schedulePing();
  }

  /** Sends a message (text or binary) to the client; `callback` runs once it was written out. */
  send(data: string | Buffer, options?: SendOptions, callback?: () => void): this {
    this.sendPacket('message', data, options?.compress, callback);
    return this;
  }

  /** Alias of `send`. */
  write(data: string | Buffer, options?: SendOptions, callback?: () => void): this {
    return this.send(data, options, callback);
  }

  /** Bytes waiting to be written to this client (transport backlog). */
  get bufferedAmount(): number {
    return this.transport.bufferedAmount + this.queuedBytes;
  }

  /**
   * Whether the client is keeping up, so that a volatile packet is worth sending. Over
   * polling a client is between two GETs most of the time, so "keeping up" means nothing
   * is still waiting for it from before: the packet then goes out with the next GET.
   */
  get isWritable(): boolean {
    if (this.readyState !== 'open') return false;
    return (
      this.transport.writable || (this.transport.name === 'polling' && this.writeBuffer === null)
    );
  }

  /**
   * Closes the session (reason `forced close`). By default buffered packets are flushed
   * first and the client is told (polling: `1`, WebSocket: a close frame); `discard`
   * drops the buffer.
   */
  close(discard = false): this {
    this.closeWithReason('forced close', discard);
    return this;
  }

  /**
   * @internal Ends the session from the server side with an explicit reason. The session
   * is closed when this returns; over polling without a held GET the transport lingers
   * so that the client still gets the buffered packets, then `6\x1e1` (docs/internals/wire-protocol.md, "Closing a session").
   */
  closeWithReason(reason: SessionCloseReason, discard = true, description?: Error): void {
    if (this.readyState !== 'open' && this.readyState !== 'opening') return;
    this.readyState = 'closing';
    this.stopHeartbeat();
    this.abortUpgrade();
    if (!discard) {
      this.flush();
      const leftovers = this.writeBuffer ?? [];
      this.writeBuffer = null;
      this.transport.close(false, leftovers);
    }
    this.onClose(reason, description);
  }

  /** @internal Queues one packet and flushes when the transport is writable. */
  sendPacket(
    type: EnginePacketType,
    data?: string | Buffer,
    compress?: boolean,
    onSent?: () => void,
  ): void {
    if (this.readyState === 'closing' || this.readyState === 'closed') return;
    // docs/limits.md, "Slow consumers": a client this far behind is let go, not buffered for.
    const limit = this.settings.maxBufferedBytes ?? Infinity;
    if (isSlowConsumer(this.bufferedAmount, limit))
      return this.closeWithReason('slow consumer', true, slowConsumerError(limit));
    // Fast path (docs/benchmarks.md, finding 2): nothing is queued, the transport can take
    // the packet now and nobody listens to `packetCreate`/`flush`/`drain`, so the packet goes
    // straight to the transport without a packet object or a write buffer. Same order and
    // the same callback as the buffered path, which is what it would have done at once.
    if (this.writeBuffer === null && this.transport.writable && !this.hasSendHooks()) {
      this.transport.sendOne(type, data, compress, onSent);
      return;
    }
    const packet: EnginePacket = data === undefined ? { type } : { type, data };
    if (compress === false) packet.compress = false;
    if (onSent !== undefined) packet.onSent = onSent;
    if (hasListener(this, 'packetCreate')) this.emit('packetCreate', packet);
    (this.writeBuffer ??= []).push(packet);
    this.queuedBytes += queuedSize(data);
    this.flush();
  }

  /** Whether anyone listens to `packetCreate`, `flush` or `drain` (one read when nobody listens at all). */
  private hasSendHooks(): boolean {
    return (
      hasListener(this, 'packetCreate') || hasListener(this, 'flush') || hasListener(this, 'drain')
    );
  }

  /** @internal Writes the buffer to the transport when it can take it. */
  flush(): void {
    const packets = this.writeBuffer;
    if (this.readyState === 'closed' || !this.transport.writable || packets === null) return;
    this.writeBuffer = null;
    this.queuedBytes = 0;
    if (hasListener(this, 'flush')) this.emit('flush', packets);
    this.transport.send(packets);
    if (hasListener(this, 'drain')) this.emit('drain');
  }

  /** @internal A WebSocket wants to take over this polling session (docs/internals/wire-protocol.md, "Upgrade"). */
  maybeUpgrade(candidate: Transport): void {
    if (this.readyState !== 'open' || this.candidate !== null) {
      candidate.discard();
      return;
    }
    this.upgrading = true;
    this.candidate = candidate;
    this.emit('upgrading', candidate);
    this.upgradeTimer = setTimeout(sessionOnUpgradeTimeout, this.settings.upgradeTimeout, this);
    candidate.owner = this;
  }

  /** @internal A packet from the current transport or from the upgrade candidate. */
  onTransportPacket(transport: Transport, packet: EnginePacket): void {
    if (transport === this.transport) this.handlePacket(packet);
    else if (transport === this.candidate) this.handleCandidatePacket(packet);
  }

  /** @internal The current transport failed (or the candidate did: the upgrade is off). */
  onTransportError(
    transport: Transport,
    reason: 'parse error' | 'transport error',
    err?: Error,
  ): void {
    if (transport === this.transport) this.onClose(reason, err);
    else if (transport === this.candidate) this.abortUpgrade();
  }

  /** @internal The peer closed the current transport (or the candidate). */
  onTransportClose(transport: Transport): void {
    if (transport === this.transport) this.onClose('transport close');
    else if (transport === this.candidate) this.abortUpgrade();
  }

  /** @internal The current transport can take packets again. */
  onTransportDrain(transport: Transport): void {
    if (transport === this.transport) this.flush();
  }

  private handleCandidatePacket(packet: EnginePacket): void {
    const candidate = this.candidate;
    if (candidate === null) return;
    if (packet.type === 'ping' && packet.data === 'probe') {
      candidate.send(PROBE_REPLY);
      // The client stops polling once the probe succeeds; release its last held GET.
      this.releaseHeldGet();
      if (this.noopTimer === null)
        this.noopTimer = setInterval(sessionOnReleaseDue, UPGRADE_NOOP_INTERVAL, this);
    } else if (packet.type === 'upgrade' && this.readyState === 'open') {
      this.completeUpgrade(candidate);
    } else {
      this.abortUpgrade();
    }
  }

  /** @internal */
  releaseHeldGet(): void {
    if (this.transport.hasPendingReceive) this.transport.releaseForUpgrade();
  }

  private completeUpgrade(candidate: Transport): void {
    this.clearUpgradeTimers();
    this.unbindTransport(candidate);
    const previous = this.transport;
    this.unbindTransport(previous);
    previous.discard();
    this.transport = candidate;
    this.candidate = null;
    this.bindTransport(candidate);
    this.upgrading = false;
    this.upgraded = true;
    this.emit('upgrade', candidate);
    // Everything queued while the client was switching goes out on the WebSocket, in order.
    this.flush();
  }

  /** @internal */
  abortUpgrade(): void {
    const candidate = this.candidate;
    if (candidate === null) return;
    this.clearUpgradeTimers();
    this.unbindTransport(candidate);
    candidate.discard();
    this.candidate = null;
    this.upgrading = false;
  }

  private clearUpgradeTimers(): void {
    if (this.upgradeTimer) clearTimeout(this.upgradeTimer);
    if (this.noopTimer) clearInterval(this.noopTimer);
    this.upgradeTimer = null;
    this.noopTimer = null;
  }

  private bindTransport(transport: Transport): void {
    transport.owner = this;
  }

  /** Lets go of the current transport or the candidate: a late report of it reaches nobody. */
  private unbindTransport(transport: Transport): void {
    if (transport.owner === this) transport.owner = null;
  }

  private handlePacket(packet: EnginePacket): void {
    if (this.readyState !== 'open') return;
    if (hasListener(this, 'packet')) this.emit('packet', packet);
    switch (packet.type) {
      case 'message':
        this.onMessage(packet.data ?? '');
        break;
      case 'pong':
        // In v3 the server never pings, so a pong is as wrong as a ping is in v4.
        if (this.protocol === 3) this.onClose('transport error');
        else this.onPong();
        break;
      case 'close':
        this.onClientClose();
        break;
      case 'ping':
        // docs/internals/wire-protocol.md, "Engine.IO packets": in v4 only the server pings; a client ping is a protocol violation.
        if (this.protocol === 3) this.onClientPing();
        else this.onClose('transport error');
        break;
      default:
        // upgrade/noop outside an upgrade and open from a client are ignored.
        break;
    }
  }

  private onMessage(data: string | Buffer): void {
    this.handler?.onSessionMessage(data);
    if (hasListener(this, 'message')) this.emit('message', data);
  }

  /** docs/internals/wire-protocol.md, "Long-polling": the client ends the session; a held GET is released with a noop. */
  private onClientClose(): void {
    this.transport.discard();
    this.onClose('transport close');
  }

  private onPong(): void {
    if (this.pongTimer) clearTimeout(this.pongTimer);
    this.pongTimer = null;
    this.emit('heartbeat');
    this.schedulePing();
  }

  /** v3: the client's heartbeat; answered at once, and the wait for the next one restarts. */
  private onClientPing(): void {
    expectClientPing(this, this.settings);
    this.sendPacket('pong');
    this.emit('heartbeat');
  }

  /** docs/internals/wire-protocol.md, "Heartbeat": the next ping is due `pingInterval` after the open packet or the last pong. */
  private schedulePing(): void {
    pingSchedules.of(this.settings.pingInterval).add(this);
  }

  /** @internal The ping schedule found the next ping due (the session is out of it already). */
  sendPing(): void {
    this.sendPacket('ping');
    if (this.pongTimer === null)
      this.pongTimer = setTimeout(sessionOnPingTimeout, this.settings.pingTimeout, this);
  }

  private stopHeartbeat(): void {
    // The deadline links are in one list or the other, never both: only that list may unlink them.
    if (this.protocol === 3) stopExpectingClientPing(this, this.settings);
    else pingSchedules.of(this.settings.pingInterval).remove(this);
    if (this.pongTimer) clearTimeout(this.pongTimer);
    this.pongTimer = null;
  }

  /** @internal */
  onClose(reason: SessionCloseReason, description?: Error): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.stopHeartbeat();
    this.abortUpgrade();
    this.writeBuffer = null;
    this.queuedBytes = 0;
    const transport = this.transport;
    this.unbindTransport(transport);
    // Error and discard paths: a held GET gets `1`, a WebSocket a close frame.
    if (!transport.isClosed && !transport.isLingering) transport.close(true);
    // The engine forgets the session first, then the layer above, then other listeners.
    this.engine?.onSessionClose(this);
    this.handler?.onSessionClose(reason, description);
    if (hasListener(this, 'close')) this.emit('close', reason, description);
  }
}

// Module-level timer callbacks: one function for every session, each reaching its session
// through the timer argument (docs/internals/code-style.md, "No per-connection closures").

function sessionOnPingTimeout(session: EngineSession): void {
  session.onClose('ping timeout');
}

function sessionOnUpgradeTimeout(session: EngineSession): void {
  session.abortUpgrade();
}

function sessionOnReleaseDue(session: EngineSession): void {
  session.releaseHeldGet();
}

/**
 * The open packet after its `sid` (docs/internals/wire-protocol.md, "Opening a session": sid, upgrades, pingInterval,
 * pingTimeout, maxPayload, in this order) is the same for every session of one settings
 * object: serialised once, not once per connection.
 */
const openPacketTails = new WeakMap<SessionSettings, string>();

function openPacketTail(settings: SessionSettings): string {
  let tail = openPacketTails.get(settings);
  if (tail === undefined) {
    const rest = JSON.stringify({
      upgrades: settings.upgrades,
      pingInterval: settings.pingInterval,
      pingTimeout: settings.pingTimeout,
      maxPayload: settings.maxHttpBufferSize,
    });
    tail = `,${rest.slice(1)}`;
    openPacketTails.set(settings, tail);
  }
  return tail;
}

/**
 * Heartbeat schedule: sessions with the same `pingInterval` share one timer. The wait is
 * still measured from the open packet or the last pong (docs/internals/wire-protocol.md, "Heartbeat"); the
 * `pingTimeout` after a ping keeps its own short-lived timer.
 */
const pingSchedules = new DeadlineLists<EngineSession>(sessionOnPingDue);

function sessionOnPingDue(session: EngineSession): void {
  session.sendPing();
}

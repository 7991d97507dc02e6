/**
 * One Engine.IO session (socket.io's "engine socket"): heartbeat, outgoing buffer,
 * transport switch on upgrade, close reasons (protocol.md §2.8–§2.10).
 * @module
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { EnginePacket, EnginePacketType } from './packet';
import type { Transport, TransportName } from './transports/transport';

/** Why a session ended (protocol.md §2.10). */
export type SessionCloseReason =
  | 'transport close'
  | 'transport error'
  | 'ping timeout'
  | 'parse error'
  | 'forced close'
  | 'server shutting down';

/** Settings a session needs from the engine. */
export interface SessionSettings {
  pingInterval: number;
  pingTimeout: number;
  upgradeTimeout: number;
  maxHttpBufferSize: number;
  /** Transports this session may upgrade to, announced in the open packet. */
  upgrades: TransportName[];
}

/** Options of `session.send`. */
export interface SendOptions {
  /** Permessage-deflate hint; honoured when the transport compresses. */
  compress?: boolean;
}

type ReadyState = 'opening' | 'open' | 'closing' | 'closed';

const UPGRADE_NOOP_INTERVAL = 100;

/**
 * An Engine.IO session, exposed as `socket.conn` and in `io.engine`'s `connection` event.
 *
 * Events: `message(data)`, `close(reason, description)`, `packet(packet)`,
 * `packetCreate(packet)`, `heartbeat()`, `flush(packets)`, `drain()`,
 * `upgrading(transport)`, `upgrade(transport)`.
 *
 * @example
 * io.engine.on('connection', (conn) => {
 *   conn.on('message', (data) => conn.send(data));
 * });
 */
export class EngineSession extends EventEmitter {
  /** Engine.IO protocol revision this session speaks. */
  readonly protocol = 4;
  readyState: ReadyState = 'opening';
  /** Whether the session moved from polling to WebSocket. */
  upgraded = false;
  /** Whether an upgrade is in flight. */
  upgrading = false;
  /** The client's IP address. */
  readonly remoteAddress: string;
  transport: Transport;

  private writeBuffer: EnginePacket[] = [];
  private pingTimer: NodeJS.Timeout | null = null;
  private pongTimer: NodeJS.Timeout | null = null;
  private upgradeTimer: NodeJS.Timeout | null = null;
  private noopTimer: NodeJS.Timeout | null = null;
  private candidate: Transport | null = null;
  private readonly onTransportPacket = (packet: EnginePacket) => this.handlePacket(packet);
  private readonly onTransportError = (reason: 'parse error' | 'transport error', err?: Error) =>
    this.onClose(reason, err);
  private readonly onTransportClose = () => this.onClose('transport close');
  private readonly onTransportDrain = () => this.flush();

  constructor(
    /** The session id (`sid`), never a Socket.IO socket id. */
    readonly id: string,
    transport: Transport,
    private readonly settings: SessionSettings,
  ) {
    super();
    this.transport = transport;
    this.remoteAddress = transport.request.socket?.remoteAddress ?? '';
    this.bindTransport(transport);
  }

  /** The opening HTTP request. */
  get request(): IncomingMessage {
    return this.transport.request;
  }

  /** @internal Sends the open packet and starts the heartbeat. */
  open(initialPacket?: string | Buffer): void {
    this.readyState = 'open';
    const handshake = JSON.stringify({
      sid: this.id,
      upgrades: this.settings.upgrades,
      pingInterval: this.settings.pingInterval,
      pingTimeout: this.settings.pingTimeout,
      maxPayload: this.settings.maxHttpBufferSize,
    });
    this.sendPacket('open', handshake);
    if (initialPacket !== undefined) this.sendPacket('message', initialPacket);
    this.schedulePing();
  }

  /** Sends a message (text or binary) to the client. */
  send(data: string | Buffer, _options?: SendOptions, callback?: () => void): this {
    this.sendPacket('message', data);
    if (callback) process.nextTick(callback);
    return this;
  }

  /** Alias of `send`. */
  write(data: string | Buffer, options?: SendOptions, callback?: () => void): this {
    return this.send(data, options, callback);
  }

  /** Bytes waiting to be written to this client (buffer plus transport backlog). */
  get bufferedAmount(): number {
    return this.transport.bufferedAmount;
  }

  /** Whether packets may be written right now without buffering. */
  get isWritable(): boolean {
    return this.readyState === 'open' && this.transport.writable && !this.upgrading;
  }

  /**
   * Closes the session. Buffered packets are flushed first unless `discard` is set.
   * The `close` event fires with reason `forced close`.
   */
  close(discard = false): this {
    if (this.readyState !== 'open' && this.readyState !== 'opening') return this;
    this.readyState = 'closing';
    if (!discard && this.writeBuffer.length > 0 && this.transport.writable) this.flush();
    this.closeTransport(discard);
    this.onClose('forced close');
    return this;
  }

  /** @internal Ends the session from the server side with an explicit reason. */
  closeWithReason(reason: SessionCloseReason, discard = true): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closing';
    this.closeTransport(discard);
    this.onClose(reason);
  }

  /** @internal Queues one packet and flushes when the transport is writable. */
  sendPacket(type: EnginePacketType, data?: string | Buffer): void {
    if (this.readyState === 'closing' || this.readyState === 'closed') return;
    const packet: EnginePacket = data === undefined ? { type } : { type, data };
    if (this.listenerCount('packetCreate') > 0) this.emit('packetCreate', packet);
    this.writeBuffer.push(packet);
    this.flush();
  }

  /** @internal Writes the buffer to the transport when it can take it. */
  flush(): void {
    if (this.readyState === 'closed' || !this.transport.writable || this.writeBuffer.length === 0) return;
    if (this.upgrading && this.transport.name === 'polling') return;
    const packets = this.writeBuffer;
    this.writeBuffer = [];
    if (this.listenerCount('flush') > 0) this.emit('flush', packets);
    this.transport.send(packets);
    if (this.listenerCount('drain') > 0) this.emit('drain');
  }

  /** @internal A second transport wants to take over (protocol.md §2.8). */
  maybeUpgrade(candidate: Transport): void {
    this.upgrading = true;
    this.candidate = candidate;
    this.emit('upgrading', candidate);
    this.upgradeTimer = setTimeout(() => this.abortUpgrade(candidate), this.settings.upgradeTimeout);
    const onPacket = (packet: EnginePacket) => {
      if (packet.type === 'ping' && packet.data === 'probe') {
        candidate.send([{ type: 'pong', data: 'probe' }]);
        this.startUpgradeNoops();
      } else if (packet.type === 'upgrade' && this.readyState === 'open') {
        candidate.off('packet', onPacket);
        candidate.off('close', onCandidateGone);
        candidate.off('error', onCandidateGone);
        this.completeUpgrade(candidate);
      } else {
        this.abortUpgrade(candidate);
      }
    };
    const onCandidateGone = () => this.abortUpgrade(candidate);
    candidate.on('packet', onPacket);
    candidate.once('close', onCandidateGone);
    candidate.once('error', onCandidateGone);
  }

  private startUpgradeNoops(): void {
    // The client stops polling once the probe succeeds; release its last held GET.
    const release = () => {
      if (this.transport.hasPendingReceive) this.transport.releaseForUpgrade();
    };
    release();
    this.noopTimer = setInterval(release, UPGRADE_NOOP_INTERVAL);
  }

  private completeUpgrade(candidate: Transport): void {
    this.clearUpgradeTimers();
    const previous = this.transport;
    this.unbindTransport(previous);
    previous.close(true);
    this.transport = candidate;
    this.candidate = null;
    this.bindTransport(candidate);
    this.upgrading = false;
    this.upgraded = true;
    this.emit('upgrade', candidate);
    this.flush();
  }

  private abortUpgrade(candidate: Transport): void {
    if (this.candidate !== candidate) return;
    this.clearUpgradeTimers();
    candidate.removeAllListeners('packet');
    candidate.close(true);
    this.candidate = null;
    this.upgrading = false;
    this.flush();
  }

  private clearUpgradeTimers(): void {
    if (this.upgradeTimer) clearTimeout(this.upgradeTimer);
    if (this.noopTimer) clearInterval(this.noopTimer);
    this.upgradeTimer = null;
    this.noopTimer = null;
  }

  private bindTransport(transport: Transport): void {
    transport.on('packet', this.onTransportPacket);
    transport.on('error', this.onTransportError);
    transport.on('close', this.onTransportClose);
    transport.on('drain', this.onTransportDrain);
  }

  private unbindTransport(transport: Transport): void {
    transport.off('packet', this.onTransportPacket);
    transport.off('error', this.onTransportError);
    transport.off('close', this.onTransportClose);
    transport.off('drain', this.onTransportDrain);
    // A late error from a discarded transport must never reach an emitter without listeners.
    transport.on('error', noop);
  }

  private handlePacket(packet: EnginePacket): void {
    if (this.readyState !== 'open') return;
    if (this.listenerCount('packet') > 0) this.emit('packet', packet);
    switch (packet.type) {
      case 'message':
        this.emit('message', packet.data ?? '');
        break;
      case 'pong':
        this.onPong();
        break;
      case 'close':
        // protocol.md §2.6: a held GET is released with a noop, then the session ends.
        if (this.transport.hasPendingReceive) this.transport.releaseForUpgrade();
        this.closeWithReason('transport close');
        break;
      case 'ping':
        // protocol.md §2.5: in v4 only the server pings; a client ping is a protocol violation.
        this.closeWithReason('transport error');
        break;
      default:
        // upgrade/noop outside an upgrade and open from a client are ignored.
        break;
    }
  }

  private onPong(): void {
    if (this.pongTimer) clearTimeout(this.pongTimer);
    this.pongTimer = null;
    this.emit('heartbeat');
    this.schedulePing();
  }

  private schedulePing(): void {
    if (this.pingTimer) clearTimeout(this.pingTimer);
    this.pingTimer = setTimeout(() => {
      this.pingTimer = null;
      this.sendPacket('ping');
      this.pongTimer = setTimeout(() => {
        this.pongTimer = null;
        this.closeWithReason('ping timeout');
      }, this.settings.pingTimeout);
    }, this.settings.pingInterval);
  }

  private closeTransport(discard: boolean): void {
    this.transport.close(discard);
    if (this.candidate) this.candidate.close(true);
  }

  private onClose(reason: SessionCloseReason, description?: Error): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    if (this.pingTimer) clearTimeout(this.pingTimer);
    if (this.pongTimer) clearTimeout(this.pongTimer);
    this.pingTimer = this.pongTimer = null;
    if (this.candidate) {
      this.candidate.close(true);
      this.candidate = null;
    }
    this.clearUpgradeTimers();
    this.writeBuffer = [];
    if (!this.transport.isClosed) this.transport.close(reason !== 'forced close');
    this.unbindTransport(this.transport);
    this.emit('close', reason, description);
  }
}

function noop(): void {}

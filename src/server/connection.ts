/**
 * One Engine.IO session and the sockets it carries, one per namespace: decoding,
 * namespace connects, the connect timeout, protocol violations (protocol.md §3.4, §3.7).
 * @module
 */
import { Decoder, encodePacket, PacketType, ProtocolError, type Packet } from '../protocol';
import type { EngineSession, SessionCloseReason } from '../engine';
import type { BroadcastFlags, EncodedPacket } from './adapter/adapter';
import { canTakeVolatile, isNamespaceLimitReached, tooManyNamespaces } from './limits';
import { buildHandshakeBase, type Handshake } from './handshake';
import type { ExtendedError } from './namespace';
import type { DisconnectReason } from './reasons';
import type { Server } from './server';
import type { Socket } from './socket';

const kConnection = Symbol('wiregate.connection');

type OwnedSession = EngineSession & { [kConnection]: Connection };

/** Settings a connection takes from the server. */
export interface ConnectionSettings {
  connectTimeout: number;
  maxAttachments: number;
  maxHttpBufferSize: number;
}

/**
 * Binds one engine session to its Socket.IO sockets (socket.io's "client"): exposed as
 * `socket.client`.
 */
export class Connection {
  /** The handshake fields shared by every socket of this connection. */
  readonly handshakeBase: Omit<Handshake, 'auth'>;
  private readonly decoder: Decoder;
  private readonly socketsByNsp = new Map<string, Socket>();
  /** Namespaces whose CONNECT is being resolved or whose middlewares run (lazy: rarely more than one). */
  private pendingNsps: Set<string> | null = null;
  private connectTimer: NodeJS.Timeout | null;

  constructor(
    private readonly server: Server,
    /** The engine session. */
    readonly conn: EngineSession,
    settings: ConnectionSettings,
  ) {
    this.handshakeBase = buildHandshakeBase(conn.request);
    this.decoder = new Decoder({
      maxAttachments: settings.maxAttachments,
      maxAttachmentBytes: settings.maxHttpBufferSize,
    });
    this.connectTimer = setTimeout(connectionOnConnectTimeout, settings.connectTimeout, this);
    // style.md §7: named module-level listeners reach their connection through a symbol.
    (conn as OwnedSession)[kConnection] = this;
    conn.on('message', sessionOnMessage);
    conn.once('close', sessionOnClose);
  }

  /** The opening HTTP request. */
  get request(): EngineSession['request'] {
    return this.conn.request;
  }

  /** @internal Encodes and writes one packet to this client. */
  writePacket(packet: Packet, flags: BroadcastFlags | undefined): void {
    this.writeEncoded(encodePacket(packet), flags);
  }

  /** @internal Writes an encoded packet (text then attachments). */
  writeEncoded(encoded: EncodedPacket, flags: BroadcastFlags | undefined): void {
    const conn = this.conn;
    if (conn.readyState !== 'open') return;
    if (flags?.volatile === true && !canTakeVolatile(conn)) return;
    // The flags carry `compress`, which the engine passes on to the transport as a send option.
    for (let i = 0; i < encoded.length; i++) conn.send(encoded[i], flags);
  }

  /** @internal Sends a CONNECT_ERROR for a refused namespace; the session stays open. */
  refuseNamespace(nsp: string, err: ExtendedError | string): void {
    const data =
      typeof err === 'string'
        ? { message: err }
        : err.data === undefined
          ? { message: err.message }
          : { message: err.message, data: err.data };
    this.writePacket({ type: PacketType.CONNECT_ERROR, nsp, data }, undefined);
  }

  /** @internal Forgets a socket that left its namespace. */
  remove(socket: Socket): void {
    if (this.socketsByNsp.get(socket.nsp.name) === socket)
      this.socketsByNsp.delete(socket.nsp.name);
  }

  /** @internal `socket.disconnect(true)`: every socket leaves, then the session closes. */
  disconnectAll(): void {
    for (const socket of [...this.socketsByNsp.values()]) socket.disconnect();
    this.closeSession('forced server close');
  }

  /** @internal One Engine.IO message from the client. */
  onData(data: string | Buffer): void {
    let packet: Packet | null;
    try {
      packet = this.decoder.add(data);
    } catch (err) {
      // protocol.md §3.7: a rejected packet costs this connection only.
      const error = err instanceof Error ? err : new ProtocolError(String(err));
      for (const socket of this.socketsByNsp.values()) socket.onError(error, false);
      this.conn.close();
      return;
    }
    if (packet === null) return;
    try {
      this.onPacket(packet);
    } catch (err) {
      // User code is guarded where it runs (Socket, Namespace); reaching this means our own
      // state is in doubt, so this connection (only) ends.
      process.emitWarning(err instanceof Error ? err.message : String(err), {
        type: 'WiregateConnectionError',
      });
      this.closeSession('forced server close');
    }
  }

  private onPacket(packet: Packet): void {
    const socket = this.socketsByNsp.get(packet.nsp);
    if (packet.type === PacketType.CONNECT) {
      // protocol.md §3.7: a second CONNECT for a namespace (connected or still connecting) ends the session.
      if (socket !== undefined || this.pendingNsps?.has(packet.nsp))
        return this.closeSession('forced server close');
      return this.connect(packet.nsp, (packet.data as Record<string, unknown> | undefined) ?? {});
    }
    if (socket === undefined || packet.type === PacketType.CONNECT_ERROR) {
      return this.closeSession('forced server close');
    }
    socket.onPacket(packet);
  }

  private connect(name: string, auth: Record<string, unknown>): void {
    if (isNamespaceLimitReached(this.socketsByNsp.size, this.server.options))
      return this.refuseNamespace(name, tooManyNamespaces());
    (this.pendingNsps ??= new Set()).add(name);
    this.server.resolveNamespace(name, auth, (nsp) => {
      if (this.conn.readyState !== 'open') return;
      if (nsp === null) {
        this.pendingNsps!.delete(name);
        return this.refuseNamespace(name, 'Invalid namespace');
      }
      nsp.add(this, auth, (socket) => {
        this.pendingNsps!.delete(name);
        if (socket === null) return;
        this.socketsByNsp.set(name, socket);
        if (this.connectTimer !== null) {
          clearTimeout(this.connectTimer);
          this.connectTimer = null;
        }
      });
    });
  }

  /** @internal `connectTimeout` elapsed. */
  onConnectTimeout(): void {
    this.connectTimer = null;
    if (this.socketsByNsp.size === 0) this.closeSession('forced server close');
  }

  private closeSession(reason: DisconnectReason): void {
    this.disconnectSockets(reason);
    this.conn.close();
  }

  private disconnectSockets(reason: DisconnectReason, description?: unknown): void {
    for (const socket of [...this.socketsByNsp.values()]) socket.onClose(reason, description);
    this.socketsByNsp.clear();
  }

  /** @internal The engine session closed. */
  onClose(reason: SessionCloseReason, description?: Error): void {
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    this.decoder.reset();
    this.disconnectSockets(reason, description);
  }
}

function sessionOnMessage(this: EngineSession, data: string | Buffer): void {
  (this as OwnedSession)[kConnection].onData(data);
}

function sessionOnClose(
  this: EngineSession,
  reason: SessionCloseReason,
  description?: Error,
): void {
  (this as OwnedSession)[kConnection].onClose(reason, description);
}

function connectionOnConnectTimeout(connection: Connection): void {
  connection.onConnectTimeout();
}

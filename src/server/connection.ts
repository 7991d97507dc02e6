/**
 * One Engine.IO session and the sockets it carries, one per namespace: decoding,
 * namespace connects, the connect timeout, protocol violations (docs/internals/wire-protocol.md, "Connecting to a namespace" and "Protocol violations").
 * @module
 */
import {
  Decoder,
  decodeText,
  encodePacket,
  PacketType,
  ProtocolError,
  type Packet,
} from '../protocol';
import type { EngineSession, SessionCloseReason } from '../engine';
import type { BroadcastFlags, EncodedPacket } from './adapter/adapter';
import { canTakeVolatile, isNamespaceLimitReached, tooManyNamespaces } from './limits';
import type { ExtendedError } from './namespace';
import type { DisconnectReason } from './reasons';
import type { Server } from './server';
import type { Socket } from './socket';
import { DeadlineLists, type DeadlineEntry, type DeadlineList } from '../shared/deadline-list';
import { createSocketId } from './socket-id';
import type { SocketId } from './adapter/adapter';

/** The options socket.io-adapter passes to `client.writeToEngine`. */
export interface WriteToEngineOptions extends BroadcastFlags {
  preEncoded?: boolean;
  wsPreEncodedFrame?: unknown;
}

/** Settings a connection takes from the server. */
export interface ConnectionSettings {
  connectTimeout: number;
  maxAttachments: number;
  maxHttpBufferSize: number;
}

/**
 * Binds one engine session to its Socket.IO sockets (socket.io's "client"): exposed as
 * `socket.client`.
 *
 * Idle memory (docs/benchmarks.md, finding 4): nearly every connection carries one
 * namespace and never a binary packet, so the first socket sits in a field (a Map only
 * from the second namespace on), the decoder is made by the first binary packet, and the
 * session reports to this object by direct calls (`conn.handler`) instead of listeners.
 *
 * Connections of servers with a custom `parser` (custom-parser-connection.ts) and of
 * Engine.IO v3 clients (connection-v3.ts) are subclasses, chosen once per session: this
 * class, the common case, has no branch for either.
 */
export class Connection implements DeadlineEntry<Connection> {
  /** When the connection was made (unix ms): `handshake.issued` of its sockets. */
  readonly issued: number;
  /** The first connected socket, while it is connected. */
  private sole: Socket | null = null;
  /** Sockets connected while `sole` was taken, by namespace (lazy: rarely more than one). */
  private others: Map<string, Socket> | null = null;
  /** The namespace whose CONNECT is being resolved or whose middlewares run. */
  private pendingNsp: string | null = null;
  /** More namespaces being connected at the same time (lazy). */
  private morePending: Set<string> | null = null;
  /** Incremental decoder, made for the first binary packet; plain text needs no state. */
  private decoder: Decoder | null = null;
  private readonly maxAttachments: number;
  private readonly maxAttachmentBytes: number;
  /** The connect timeouts of this `connectTimeout`: closed when no namespace connected in time. */
  private readonly connectDeadline: DeadlineList<Connection>;
  /** @internal The pending connect timeout (shared/deadline-list.ts: one timer for all connections). */
  deadline = 0;
  /** @internal */
  deadlinePrev: Connection | null = null;
  /** @internal */
  deadlineNext: Connection | null = null;

  constructor(
    private readonly server: Server,
    /** The engine session. */
    readonly conn: EngineSession,
    settings: ConnectionSettings,
  ) {
    this.issued = Date.now();
    this.maxAttachments = settings.maxAttachments;
    this.maxAttachmentBytes = settings.maxHttpBufferSize;
    this.connectDeadline = connectDeadlines.of(settings.connectTimeout);
    this.connectDeadline.add(this);
    conn.handler = this;
  }

  /** The opening HTTP request. */
  get request(): EngineSession['request'] {
    return this.conn.request;
  }

  /** The Engine.IO session id (socket.io's `socket.client.id`). */
  get id(): string {
    return this.conn.id;
  }

  /**
   * @internal socket.io's `client.writeToEngine`: adapters built on socket.io-adapter write a
   * broadcast they encoded once through it. Of their options, `volatile` and `compress` apply;
   * `preEncoded` is how it always is here, and a prebuilt `wsPreEncodedFrame` is not needed
   * (the WebSocket transport frames a text repeated within a tick once for every recipient).
   */
  writeToEngine(
    encodedPackets: readonly (string | Buffer)[],
    opts: WriteToEngineOptions | undefined,
  ): void {
    this.writeEncoded(encodedPackets as EncodedPacket, opts);
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
    this.writePacket(
      { type: PacketType.CONNECT_ERROR, nsp, data: this.connectErrorData(err) },
      undefined,
    );
  }

  /** The CONNECT_ERROR payload: `{ message, data? }` in Socket.IO v5. */
  protected connectErrorData(err: ExtendedError | string): unknown {
    if (typeof err === 'string') return { message: err };
    return err.data === undefined
      ? { message: err.message }
      : { message: err.message, data: err.data };
  }

  /** @internal The id of a new socket of namespace `nsp` (random; v3 clients derive theirs). */
  newSocketId(_nsp: string): SocketId {
    return createSocketId();
  }

  /** @internal Forgets a socket that left its namespace. */
  remove(socket: Socket): void {
    if (this.sole === socket) this.sole = null;
    else if (this.others?.get(socket.nsp.name) === socket) this.others.delete(socket.nsp.name);
  }

  /** @internal `socket.disconnect(true)`: every socket leaves, then the session closes. */
  disconnectAll(): void {
    for (const socket of this.connectedSockets()) socket.disconnect();
    this.closeSession('forced server close');
  }

  /** @internal The engine session delivered one Engine.IO message from the client. */
  onSessionMessage(data: string | Buffer): void {
    let packet: Packet | null;
    try {
      packet = this.decode(data);
    } catch (err) {
      return this.onDecodeError(err);
    }
    if (packet !== null) this.dispatch(packet);
  }

  /** docs/internals/wire-protocol.md, "Protocol violations": a rejected packet costs this connection only. */
  protected onDecodeError(err: unknown): void {
    const error = err instanceof Error ? err : new ProtocolError(String(err));
    for (const socket of this.connectedSockets()) socket.onError(error, false);
    this.conn.close();
  }

  /** Handles one decoded packet. */
  protected dispatch(packet: Packet): void {
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

  /**
   * A text packet that announces no attachments (type other than BINARY_EVENT/BINARY_ACK)
   * decodes without state; anything else goes through this connection's own decoder, which
   * also keeps refusing text while attachments are due (docs/internals/wire-protocol.md, "Binary attachments").
   */
  private decode(data: string | Buffer): Packet | null {
    if (this.decoder === null && typeof data === 'string' && !announcesAttachments(data))
      return decodeText(data);
    this.decoder ??= new Decoder({
      maxAttachments: this.maxAttachments,
      maxAttachmentBytes: this.maxAttachmentBytes,
    });
    return this.decoder.add(data);
  }

  private onPacket(packet: Packet): void {
    if (packet.type === PacketType.CONNECT) {
      const name = this.connectTarget(packet);
      // docs/internals/wire-protocol.md, "Protocol violations": a second CONNECT for a namespace (connected or still connecting) ends the session.
      if (this.socketOf(name) !== undefined || this.isPending(name))
        return this.closeSession('forced server close');
      return this.connect(name, this.connectAuth(packet));
    }
    const socket = this.socketOf(packet.nsp);
    if (socket === undefined || packet.type === PacketType.CONNECT_ERROR) {
      return this.closeSession('forced server close');
    }
    socket.onPacket(packet);
  }

  /** The namespace a CONNECT asks for. */
  protected connectTarget(packet: Packet): string {
    return packet.nsp;
  }

  /** The auth payload of a CONNECT. */
  protected connectAuth(packet: Packet): Record<string, unknown> {
    return (packet.data as Record<string, unknown> | undefined) ?? {};
  }

  protected connect(name: string, auth: Record<string, unknown>): void {
    if (isNamespaceLimitReached(this.socketCount(), this.server.options))
      return this.refuseNamespace(name, tooManyNamespaces());
    this.addPending(name);
    this.server.resolveNamespace(name, auth, (nsp) => {
      if (this.conn.readyState !== 'open') return;
      if (nsp === null) {
        this.deletePending(name);
        return this.refuseNamespace(name, 'Invalid namespace');
      }
      nsp.add(this, auth);
    });
  }

  /**
   * @internal `Namespace.add` finished for namespace `name` (the resolved namespace has the
   * requested name): the connected socket, or null when it was refused or the session closed.
   */
  onNamespaceJoined(name: string, socket: Socket | null): void {
    this.deletePending(name);
    if (socket === null) return;
    this.addSocket(name, socket);
    this.connectDeadline.remove(this);
  }

  private socketOf(nsp: string): Socket | undefined {
    const sole = this.sole;
    if (sole !== null && sole.nsp.name === nsp) return sole;
    return this.others?.get(nsp);
  }

  private addSocket(name: string, socket: Socket): void {
    // `sole` is only taken while nothing else is connected, so sockets stay in connect order.
    if (this.sole === null && (this.others === null || this.others.size === 0)) this.sole = socket;
    else (this.others ??= new Map()).set(name, socket);
  }

  private socketCount(): number {
    return (this.sole === null ? 0 : 1) + (this.others?.size ?? 0);
  }

  /** The connected sockets in connect order, as a copy (disconnecting one changes the set). */
  private connectedSockets(): Socket[] {
    const sockets: Socket[] = this.sole === null ? [] : [this.sole];
    if (this.others !== null) for (const socket of this.others.values()) sockets.push(socket);
    return sockets;
  }

  private isPending(name: string): boolean {
    return this.pendingNsp === name || (this.morePending?.has(name) ?? false);
  }

  private addPending(name: string): void {
    if (this.pendingNsp === null) this.pendingNsp = name;
    else (this.morePending ??= new Set()).add(name);
  }

  private deletePending(name: string): void {
    if (this.pendingNsp === name) this.pendingNsp = null;
    else this.morePending?.delete(name);
  }

  /** @internal `connectTimeout` elapsed. */
  onConnectTimeout(): void {
    if (this.socketCount() === 0) this.closeSession('forced server close');
  }

  private closeSession(reason: DisconnectReason): void {
    this.disconnectSockets(reason);
    this.conn.close();
  }

  private disconnectSockets(reason: DisconnectReason, description?: unknown): void {
    for (const socket of this.connectedSockets()) socket.onClose(reason, description);
    this.sole = null;
    this.others = null;
  }

  /** @internal The engine session closed. */
  onSessionClose(reason: SessionCloseReason, description?: Error): void {
    this.connectDeadline.remove(this);
    this.decoder?.reset();
    this.disconnectSockets(reason, description);
  }
}

/** docs/internals/wire-protocol.md, "Encoding and decoding": BINARY_EVENT (`5`) and BINARY_ACK (`6`) are followed by attachments. */
function announcesAttachments(text: string): boolean {
  const type = text.charCodeAt(0) - 48;
  return type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK;
}

function connectionOnConnectTimeout(connection: Connection): void {
  connection.onConnectTimeout();
}

/** Connect timeouts: connections of one `connectTimeout` share one timer. */
const connectDeadlines = new DeadlineLists<Connection>(connectionOnConnectTimeout);

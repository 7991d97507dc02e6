/**
 * The connection of an Engine.IO v3 client (socket.io-client 2.x, Socket.IO protocol v4),
 * accepted with `allowEIO3: true`. What differs from protocol v5 (docs/internals/engine-io-v3.md):
 * the main namespace is joined without a CONNECT, a CONNECT names its query in the namespace
 * (`0/admin?token=abc,`) instead of carrying an auth object, the CONNECT reply has no payload,
 * a refusal's payload is the error's `data` or its message, and socket ids are derived from
 * the session id (`/admin#<sid>`), as the client computes them.
 * @module
 */
import type { EngineSession } from '../engine';
import { PacketType, type Packet } from '../protocol';
import type { BroadcastFlags, SocketId } from './adapter/adapter';
import { Connection, type ConnectionSettings } from './connection';
import type { ExtendedError } from './namespace';
import type { Server } from './server';

/** A Socket.IO protocol v4 connection over an Engine.IO v3 session. */
export class ConnectionV3 extends Connection {
  constructor(server: Server, conn: EngineSession, settings: ConnectionSettings) {
    super(server, conn, settings);
    // Protocol v4: the client is in the main namespace as soon as the session is open. A tick
    // later, as the reference: the CONNECT then follows the open packet in a payload of its own.
    process.nextTick(connectMainNamespace, this);
  }

  /** @internal */
  connectMain(): void {
    if (this.conn.readyState === 'open') this.connect('/', {});
  }

  /** @internal The CONNECT reply of protocol v4 carries no payload (the client knows its id). */
  override writePacket(packet: Packet, flags: BroadcastFlags | undefined): void {
    super.writePacket(
      packet.type === PacketType.CONNECT ? { type: PacketType.CONNECT, nsp: packet.nsp } : packet,
      flags,
    );
  }

  /** @internal `/admin#<sid>`, or the session id itself in the main namespace. */
  override newSocketId(nsp: string): SocketId {
    return nsp === '/' ? this.conn.id : `${nsp}#${this.conn.id}`;
  }

  /** The namespace without the query a v2 client appends to it. */
  protected override connectTarget(packet: Packet): string {
    const q = packet.nsp.indexOf('?');
    return q === -1 ? packet.nsp : packet.nsp.slice(0, q);
  }

  /** The query of the namespace is the auth payload (`socket.handshake.auth`), as in socket.io. */
  protected override connectAuth(packet: Packet): Record<string, unknown> {
    const q = packet.nsp.indexOf('?');
    const auth: Record<string, unknown> = {};
    if (q === -1) return auth;
    for (const [key, value] of new URLSearchParams(packet.nsp.slice(q + 1))) {
      // Own data properties only: a `__proto__` key must not reach the prototype.
      Object.defineProperty(auth, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return auth;
  }

  /** Protocol v4 clients get the error's `data`, or else its message, as the payload. */
  protected override connectErrorData(err: ExtendedError | string): unknown {
    if (typeof err === 'string') return { message: err };
    // `||` as the reference: any falsy `data` falls back to the message.
    return err.data || err.message;
  }
}

function connectMainNamespace(connection: ConnectionV3): void {
  connection.connectMain();
}

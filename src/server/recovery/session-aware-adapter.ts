/**
 * The in-memory adapter with connection state recovery: the default adapter when
 * `connectionStateRecovery` is set (socket.io's `SessionAwareAdapter`).
 * @module
 */
import { PacketType, type Packet } from '../../protocol';
import type { AdapterNamespace, BroadcastOptions } from '../adapter/adapter';
import { InMemoryAdapter } from '../adapter/in-memory-adapter';
import { RECOVERY_DEFAULTS, type RecoveryOptions } from './options';
import type { PersistedSession, PrivateSessionId, RestoredSession } from './session';
import { SessionStore, type SessionStoreStats } from './session-store';

/**
 * Stores every broadcast a disconnected client may have missed (events without ack, not
 * volatile), appends its offset as the last argument (the client records it), and keeps
 * sessions of lost sockets. A subclass rather than a flag on `InMemoryAdapter`, so that the
 * default adapter's broadcast path has no check at all when recovery is off.
 *
 * @example
 * const io = new Server({ connectionStateRecovery: {} }); // uses this adapter
 */
export class SessionAwareAdapter extends InMemoryAdapter {
  private readonly store: SessionStore;

  constructor(nsp: AdapterNamespace) {
    super(nsp);
    this.store = new SessionStore(recoveryOptionsOf(nsp));
  }

  /** Keeps a lost socket's session (called by the socket on an abnormal disconnection). */
  override persistSession(session: PersistedSession): void {
    this.store.persist(session);
  }

  /** The session and the packets missed after `offset`, or null: the client starts afresh. */
  override restoreSession(pid: PrivateSessionId, offset: string): RestoredSession | null {
    return this.store.restore(pid, offset);
  }

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    // As socket.io: only what can be replayed as it was is stored. An ack callback cannot be
    // restored; a volatile packet may be lost anyway.
    if (
      packet.type === PacketType.EVENT &&
      packet.id === undefined &&
      opts.flags?.volatile !== true
    ) {
      // A copy with the offset: the caller's packet may be handed to several adapters (a
      // dynamic namespace's parent broadcasts one packet through each child's adapter).
      const data = [...(packet.data as unknown[])];
      data.push(this.store.append(data, opts.rooms, opts.except));
      return super.broadcast({ ...packet, data }, opts);
    }
    super.broadcast(packet, opts);
  }

  /** @internal Sizes of the session store (tests, monitoring). */
  recoveryStats(): SessionStoreStats {
    return this.store.stats();
  }

  override close(): Promise<void> | void {
    this.store.close();
    return super.close();
  }
}

/** The normalized option on the namespace's server (a bare namespace gets the defaults). */
function recoveryOptionsOf(nsp: AdapterNamespace): RecoveryOptions {
  const server = (nsp as { server?: { recovery?: RecoveryOptions | null } }).server;
  return server?.recovery ?? RECOVERY_DEFAULTS;
}

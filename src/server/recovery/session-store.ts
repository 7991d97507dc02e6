/**
 * The in-memory half of connection state recovery: disconnected sessions and the broadcast
 * packets they may have missed, bounded by time (`maxDisconnectionDuration`) and by count
 * (`maxSessions`, `maxPackets`).
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Room } from '../adapter/adapter';
import type { RecoveryOptions } from './options';
import type { PersistedSession, PrivateSessionId, RestoredSession } from './session';

/** One stored broadcast: its argument list (offset last) and its selection. */
interface StoredPacket {
  seq: number;
  data: unknown[];
  rooms: ReadonlySet<Room>;
  except: ReadonlySet<Room> | undefined;
  emittedAt: number;
}

interface StoredSession {
  session: PersistedSession;
  disconnectedAt: number;
}

/** Sizes of a store, for tests and monitoring. */
export interface SessionStoreStats {
  sessions: number;
  packets: number;
}

/** Above this many dropped slots at the front, the packet array is compacted. */
const COMPACT_THRESHOLD = 1024;
/** Longest wait between two sweeps of expired entries (ms). */
const MAX_SWEEP_INTERVAL = 60_000;

/**
 * Sessions by pid and packets in emission order. Offsets are `<store tag>.<sequence>`: the tag
 * (random per store) makes an offset from another server or an earlier process unknown here,
 * and the sequence finds the position without a search. A session is restored only if every
 * packet after the client's offset is still held; otherwise the client gets a fresh session,
 * never a partial replay.
 */
export class SessionStore {
  private readonly sessions = new Map<PrivateSessionId, StoredSession>();
  /** Packets; slots before `head` were dropped. */
  private packets: (StoredPacket | undefined)[] = [];
  private head = 0;
  /** Sequence number of the next packet (the first one is 1, so offset 0 means "before any"). */
  private nextSeq = 1;
  private readonly tag = randomBytes(6).toString('base64url');
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly maxAge: number;

  constructor(
    private readonly options: RecoveryOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.maxAge = Math.max(0, options.maxDisconnectionDuration);
  }

  /** Current sizes (never above `maxSessions` / `maxPackets`). */
  stats(): SessionStoreStats {
    return { sessions: this.sessions.size, packets: this.packets.length - this.head };
  }

  /** Records a broadcast; returns the offset to append to its arguments. */
  append(data: unknown[], rooms: ReadonlySet<Room>, except: ReadonlySet<Room> | undefined): string {
    const now = this.now();
    const seq = this.nextSeq++;
    this.packets.push({ seq, data, rooms, except, emittedAt: now });
    while (this.packets.length - this.head > this.options.maxPackets) this.dropOldestPacket();
    this.pruneExpired(now);
    this.scheduleSweep();
    return `${this.tag}.${seq.toString(36)}`;
  }

  /** Keeps a lost socket's session for `maxDisconnectionDuration`. */
  persist(session: PersistedSession): void {
    const now = this.now();
    // Delete first, so that Map order stays disconnection order (the oldest goes first).
    this.sessions.delete(session.pid);
    this.sessions.set(session.pid, { session, disconnectedAt: now });
    while (this.sessions.size > this.options.maxSessions) {
      this.sessions.delete(this.sessions.keys().next().value as PrivateSessionId);
    }
    this.pruneExpired(now);
    this.scheduleSweep();
  }

  /**
   * The session of `pid` with the packets missed after `offset`, or null (unknown or expired
   * session, offset not ours, or a missed packet no longer held). A restored session is
   * removed: it is handed out once.
   */
  restore(pid: PrivateSessionId, offset: string): RestoredSession | null {
    this.pruneExpired(this.now());
    const stored = this.sessions.get(pid);
    if (stored === undefined) return null;
    const after = this.sequenceOf(offset);
    if (after === null) return null;
    // Every packet after `after` must still be here: the oldest held is at most after + 1.
    const oldestHeld = this.packets[this.head]?.seq ?? this.nextSeq;
    if (oldestHeld > after + 1) return null;
    this.sessions.delete(pid);
    const { session } = stored;
    const missedPackets: unknown[][] = [];
    for (let i = this.head; i < this.packets.length; i++) {
      const packet = this.packets[i]!;
      if (packet.seq > after && isSelected(session.rooms, packet)) missedPackets.push(packet.data);
    }
    return { ...session, missedPackets };
  }

  /** Stops the sweep timer and forgets everything. */
  close(): void {
    if (this.sweepTimer !== null) clearTimeout(this.sweepTimer);
    this.sweepTimer = null;
    this.sessions.clear();
    this.packets = [];
    this.head = 0;
  }

  /** The sequence number in one of this store's offsets, or null for anything else. */
  private sequenceOf(offset: string): number | null {
    const prefix = this.tag.length + 1;
    if (offset.length <= prefix || offset.length > prefix + 11) return null;
    if (!offset.startsWith(this.tag) || offset.charCodeAt(this.tag.length) !== 46 /* . */)
      return null;
    const digits = offset.slice(prefix);
    if (!/^[0-9a-z]+$/.test(digits)) return null;
    const seq = parseInt(digits, 36);
    // An offset this store never handed out (from the future) is forged.
    return seq >= 1 && seq < this.nextSeq ? seq : null;
  }

  private dropOldestPacket(): void {
    this.packets[this.head++] = undefined;
    if (this.head >= COMPACT_THRESHOLD && this.head * 2 >= this.packets.length) {
      this.packets = this.packets.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * Drops what is older than the window. Sessions: their client may no longer come back.
   * Packets: a restorable session disconnected within the window; a packet older than that
   * may be one it missed, and then `restore` sees the gap and gives a fresh session.
   */
  private pruneExpired(now: number): void {
    const threshold = now - this.maxAge;
    for (const [pid, stored] of this.sessions) {
      if (stored.disconnectedAt >= threshold) break;
      this.sessions.delete(pid);
    }
    for (;;) {
      const oldest = this.packets[this.head];
      if (oldest === undefined || oldest.emittedAt >= threshold) break;
      this.dropOldestPacket();
    }
    if (this.head === this.packets.length && this.head > 0) {
      this.packets = [];
      this.head = 0;
    }
  }

  /** While anything is held, one unref'd timer releases it once expired, even on an idle server. */
  private scheduleSweep(): void {
    if (this.sweepTimer !== null) return;
    const delay = Math.min(Math.max(this.maxAge, 1000), MAX_SWEEP_INTERVAL);
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = null;
      this.pruneExpired(this.now());
      const { sessions, packets } = this.stats();
      if (sessions > 0 || packets > 0) this.scheduleSweep();
    }, delay);
    this.sweepTimer.unref();
  }
}

/** socket.io-adapter's rule: the packet reached one of the session's rooms and none excluded it. */
function isSelected(sessionRooms: readonly Room[], packet: StoredPacket): boolean {
  const { rooms, except } = packet;
  const included = rooms.size === 0 || sessionRooms.some((room) => rooms.has(room));
  if (!included) return false;
  return except === undefined || except.size === 0 || sessionRooms.every((r) => !except.has(r));
}

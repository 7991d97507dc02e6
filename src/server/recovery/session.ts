/**
 * What connection state recovery keeps of a socket, in socket.io-adapter's shapes (the
 * `persistSession` / `restoreSession` contract), and which disconnections keep it.
 * @module
 */
import type { Room, SocketId } from '../adapter/adapter';
import type { DisconnectReason } from '../reasons';

/** Private session id: sent to the client in the CONNECT reply, never shown to other clients. */
export type PrivateSessionId = string;

/** What `adapter.persistSession(session)` receives when a socket is lost abnormally. */
export interface PersistedSession {
  sid: SocketId;
  pid: PrivateSessionId;
  rooms: Room[];
  data: unknown;
}

/** What `adapter.restoreSession(pid, offset)` resolves with: the session and what it missed. */
export interface RestoredSession extends PersistedSession {
  /** The argument lists (`[event, ...args, offset]`) of the packets missed, in order. */
  missedPackets: unknown[][];
}

/**
 * socket.io 4.8's list: the connection was lost, not ended on purpose by either side
 * (a client or server namespace disconnect is deliberate and forgets the state).
 */
const RECOVERABLE_REASONS: ReadonlySet<DisconnectReason> = new Set<DisconnectReason>([
  'transport error',
  'transport close',
  'forced close',
  'ping timeout',
  'server shutting down',
  'forced server close',
]);

/** Whether a socket that disconnected for `reason` may be recovered. */
export function isRecoverable(reason: DisconnectReason): boolean {
  return RECOVERABLE_REASONS.has(reason);
}

/** The `{ pid, offset }` a socket.io client adds to its CONNECT auth when it comes back. */
export interface RecoveryAttempt {
  pid: PrivateSessionId;
  offset: string;
}

/** Longest pid / offset looked up; anything longer is no session of ours (no lookup at all). */
const MAX_TOKEN_LENGTH = 256;

/** The recovery fields of a CONNECT auth, when both are plausible strings; else null. */
export function recoveryAttemptOf(auth: Record<string, unknown>): RecoveryAttempt | null {
  const pid = auth.pid;
  const offset = auth.offset;
  if (typeof pid !== 'string' || typeof offset !== 'string') return null;
  if (pid.length === 0 || pid.length > MAX_TOKEN_LENGTH || offset.length > MAX_TOKEN_LENGTH)
    return null;
  return { pid, offset };
}

/**
 * A third-party adapter's answer, checked: a session we can apply, or null (fresh session).
 * Adapters are trusted code, but a malformed answer must cost a fresh session, not a crash.
 */
export function checkRestoredSession(value: unknown): RestoredSession | null {
  if (value === null || typeof value !== 'object') return null;
  const s = value as Partial<RestoredSession>;
  if (typeof s.sid !== 'string' || typeof s.pid !== 'string') return null;
  if (!Array.isArray(s.rooms) || !s.rooms.every((room) => typeof room === 'string')) return null;
  const missed = s.missedPackets ?? [];
  if (!Array.isArray(missed) || !missed.every((p) => Array.isArray(p) && p.length > 0)) return null;
  return { sid: s.sid, pid: s.pid, rooms: s.rooms, data: s.data, missedPackets: missed };
}

/**
 * A socket's part in connection state recovery: its private session id, what it brings back
 * when recovered, and what it leaves behind when lost. Kept out of socket.ts, which stays
 * free of it when the option is off (one null field per socket).
 * @module
 */
import { PacketType, type Packet } from '../../protocol';
import type { BroadcastFlags, Room, SocketId } from '../adapter/adapter';
import { reportRejection } from '../adapter/adapter-calls';
import type { DisconnectReason } from '../reasons';
import { createSocketId } from '../socket-id';
import { isRecoverable, type PrivateSessionId, type RestoredSession } from './session';

/** Per-socket recovery state, present only when the option is on. */
export interface SocketRecovery {
  /** Sent in the CONNECT reply; the client hands it back to recover. */
  readonly pid: PrivateSessionId;
  /** Whether this socket took over a previous session. */
  readonly recovered: boolean;
  /** The missed packets' arguments, until the CONNECT reply is written (then null). */
  missed: unknown[][] | null;
}

/** What these helpers use of a socket (kept narrow: the socket passes itself). */
interface RecoveringSocket {
  readonly id: SocketId;
  readonly rooms: Set<Room>;
  readonly data: unknown;
  readonly nsp: {
    readonly name: string;
    readonly adapter: {
      persistSession(session: {
        sid: SocketId;
        pid: PrivateSessionId;
        rooms: Room[];
        data: unknown;
      }): unknown;
      broadcast(
        packet: Packet,
        opts: { rooms: Set<Room>; except: Set<Room>; flags: BroadcastFlags },
      ): unknown;
    };
    reportAdapterError(err: unknown): void;
  };
  readonly client: { writePacket(packet: Packet, flags: BroadcastFlags | undefined): void };
}

/** The state of a new socket: a fresh pid, or the restored session's. */
export function createSocketRecovery(restored: RestoredSession | null): SocketRecovery {
  if (restored === null) return { pid: createSocketId(), recovered: false, missed: null };
  return { pid: restored.pid, recovered: true, missed: restored.missedPackets };
}

/**
 * Writes the missed packets, in order, once. Called just before the CONNECT reply, where
 * socket.io writes them too: the client buffers them and hands them to its listeners right
 * after it marks itself connected, before its `connect` event.
 */
export function writeMissedPackets(socket: RecoveringSocket, recovery: SocketRecovery): void {
  const missed = recovery.missed;
  if (missed === null) return;
  recovery.missed = null;
  const nsp = socket.nsp.name;
  for (const data of missed)
    socket.client.writePacket({ type: PacketType.EVENT, nsp, data }, undefined);
}

/**
 * An emit to this socket goes through the adapter (as in socket.io with the option on), so it
 * is stored and replayed like any broadcast if the client misses it; a cluster adapter that
 * supports recovery records it too.
 */
export function emitThroughAdapter(
  socket: RecoveringSocket,
  packet: Packet,
  flags: BroadcastFlags | null,
): void {
  const opts = { rooms: new Set([socket.id]), except: new Set<Room>(), flags: flags ?? {} };
  reportRejection(socket.nsp.adapter.broadcast(packet, opts), socket.nsp.reportAdapterError);
}

/**
 * Hands a lost socket's session to the adapter, before it leaves its rooms. Only for an
 * abnormal disconnection: a deliberate one (either side's namespace disconnect) ends it.
 */
export function persistOnClose(
  socket: RecoveringSocket,
  recovery: SocketRecovery,
  reason: DisconnectReason,
): void {
  if (!isRecoverable(reason)) return;
  const session = {
    sid: socket.id,
    pid: recovery.pid,
    rooms: [...socket.rooms],
    data: socket.data,
  };
  // An adapter's failure must not stop the disconnect sequence: it is reported instead.
  try {
    reportRejection(socket.nsp.adapter.persistSession(session), socket.nsp.reportAdapterError);
  } catch (err) {
    socket.nsp.reportAdapterError(err);
  }
}

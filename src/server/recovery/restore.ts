/**
 * A CONNECT that carries `{ pid, offset }`: asks the namespace's adapter for the session, then
 * adds the socket, recovered or fresh. Failures of any kind give a fresh session.
 * @module
 */
import { isThenable } from '../adapter/adapter-calls';
import type { Connection } from '../connection';
import {
  checkRestoredSession,
  type PersistedSession,
  type RecoveryAttempt,
  type RestoredSession,
} from './session';

/** What the restore needs of a namespace. */
export interface RestoringNamespace {
  readonly name: string;
  readonly sockets: ReadonlyMap<string, unknown>;
  readonly adapter: {
    restoreSession(pid: string, offset: string): unknown;
    persistSession(session: PersistedSession): unknown;
  };
  /** Adds the socket (recovered when `restored` is a session). */
  addSocket(
    client: Connection,
    auth: Record<string, unknown>,
    restored: RestoredSession | null,
  ): void;
}

/**
 * Restores and adds. Our in-memory adapter answers synchronously, so the socket rejoins its
 * rooms in the same tick the missed packets were collected: nothing broadcast in between can
 * fall through. An adapter answering with a promise (redis-streams) leaves that gap to the
 * adapter, as in socket.io.
 */
export function restoreAndAdd(
  nsp: RestoringNamespace,
  client: Connection,
  auth: Record<string, unknown>,
  attempt: RecoveryAttempt,
): void {
  let result: unknown;
  try {
    result = nsp.adapter.restoreSession(attempt.pid, attempt.offset);
  } catch {
    result = null;
  }
  if (!isThenable(result)) return nsp.addSocket(client, auth, usable(nsp, result));
  result.then(
    (value) => {
      const session = usable(nsp, value);
      // The client left while the adapter answered: the session it consumed is kept again,
      // so that the client's next attempt (same pid and offset) still recovers it.
      if (session !== null && client.conn.readyState !== 'open') {
        const { missedPackets: _missed, ...persisted } = session;
        try {
          void Promise.resolve(nsp.adapter.persistSession(persisted)).catch(() => undefined);
        } catch {
          // Nothing to do: the client gets a fresh session next time.
        }
      }
      nsp.addSocket(client, auth, session);
    },
    // socket.io-adapter's adapters reject for an unknown session or offset: a fresh session.
    () => nsp.addSocket(client, auth, null),
  );
}

/** A session the namespace can take: well-formed, and its socket id not in use here. */
function usable(nsp: RestoringNamespace, value: unknown): RestoredSession | null {
  const session = checkRestoredSession(value);
  if (session === null || nsp.sockets.has(session.sid)) return null;
  return session;
}

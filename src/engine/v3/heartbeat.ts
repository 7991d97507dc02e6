/**
 * The Engine.IO v3 heartbeat (docs/internals/engine-io-v3.md): the client pings every
 * `pingInterval`, the server answers each ping with a pong and gives up on a client that has
 * not pinged for `pingInterval + pingTimeout`. v4 sessions never come here.
 * @module
 */
import { DeadlineLists } from '../../shared/deadline-list';
import type { EngineSession } from '../session';

/**
 * Sessions waiting for their client's next ping, one timer per duration (shared/deadline-list.ts).
 * A v3 session is never in the v4 ping schedule, so it lends its deadline links to this list.
 */
const clientPingDeadlines = new DeadlineLists<EngineSession>(onClientPingMissed);

function onClientPingMissed(session: EngineSession): void {
  session.onClose('ping timeout');
}

/** How long a v3 session waits for the next client ping. */
function clientPingWait(settings: { pingInterval: number; pingTimeout: number }): number {
  return settings.pingInterval + settings.pingTimeout;
}

/** (Re)starts the wait for the client's next ping: at the open packet and after each ping. */
export function expectClientPing(
  session: EngineSession,
  settings: { pingInterval: number; pingTimeout: number },
): void {
  clientPingDeadlines.of(clientPingWait(settings)).add(session);
}

/** Stops waiting (the session closes). */
export function stopExpectingClientPing(
  session: EngineSession,
  settings: { pingInterval: number; pingTimeout: number },
): void {
  clientPingDeadlines.of(clientPingWait(settings)).remove(session);
}

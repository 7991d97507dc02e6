/**
 * Disconnect reasons a server-side socket reports (docs/internals/wire-protocol.md, "Disconnect reasons"), and the events that carry them.
 * @module
 */

/** Why a socket disconnected. */
export type DisconnectReason =
  | 'transport error'
  | 'transport close'
  | 'forced close'
  | 'ping timeout'
  | 'parse error'
  | 'server shutting down'
  | 'forced server close'
  | 'client namespace disconnect'
  | 'server namespace disconnect'
  | 'slow consumer';

/** Events a server-side socket emits locally. */
export type SocketReservedEvents = {
  disconnect: (reason: DisconnectReason, description?: unknown) => void;
  disconnecting: (reason: DisconnectReason, description?: unknown) => void;
  error: (err: Error) => void;
};

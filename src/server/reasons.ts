/**
 * Disconnect reasons a server-side socket reports (protocol.md §3.10).
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

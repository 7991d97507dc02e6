/**
 * The `connectionStateRecovery` option: socket.io 4.8's names and defaults, plus wiregate's
 * memory caps for the in-memory session store.
 * @module
 */
import { WiregateError } from '../../shared/errors';

/** `connectionStateRecovery` as given to `new Server(...)`. */
export interface ConnectionStateRecoveryOptions {
  /**
   * How long (ms) after an abnormal disconnection the client may come back and recover its
   * id, rooms, `socket.data` and the packets it missed. Default 120000 (2 minutes).
   */
  maxDisconnectionDuration?: number;
  /** Whether a recovered socket skips the namespace middlewares (`io.use`). Default true. */
  skipMiddlewares?: boolean;
  /**
   * wiregate only, in-memory adapter: disconnected sessions kept per namespace; past it the
   * oldest is forgotten (its client gets a fresh session). Default 10000.
   */
  maxSessions?: number;
  /**
   * wiregate only, in-memory adapter: broadcast packets kept per namespace for replay; past
   * it the oldest is dropped (a client that missed it gets a fresh session). Default 10000.
   */
  maxPackets?: number;
}

/** The option with every default filled in (`io.opts.connectionStateRecovery` once set). */
export type RecoveryOptions = Required<ConnectionStateRecoveryOptions>;

/** socket.io's defaults, and wiregate's caps. */
export const RECOVERY_DEFAULTS: RecoveryOptions = {
  maxDisconnectionDuration: 2 * 60 * 1000,
  skipMiddlewares: true,
  maxSessions: 10_000,
  maxPackets: 10_000,
};

/**
 * Fills in the defaults. socket.io does the same in place on `io.opts`, and adapters built on
 * socket.io-adapter (redis-streams) read `maxDisconnectionDuration` from there, so the result
 * replaces the option on `io.opts`.
 * @throws WiregateError `WG_ERR_INVALID_ARGUMENT` for a negative or non-numeric duration or cap:
 * a NaN cap would silently make the store unbounded.
 */
export function normalizeRecoveryOptions(given: ConnectionStateRecoveryOptions): RecoveryOptions {
  // A key present with `undefined` keeps the default (socket.io's Object.assign would not).
  return {
    maxDisconnectionDuration: amount(given, 'maxDisconnectionDuration'),
    // socket.io tests it for truthiness.
    skipMiddlewares: Boolean(given.skipMiddlewares ?? RECOVERY_DEFAULTS.skipMiddlewares),
    maxSessions: amount(given, 'maxSessions'),
    maxPackets: amount(given, 'maxPackets'),
  };
}

type Amount = 'maxDisconnectionDuration' | 'maxSessions' | 'maxPackets';

function amount(given: ConnectionStateRecoveryOptions, key: Amount): number {
  const value: unknown = given[key];
  if (value === undefined) return RECOVERY_DEFAULTS[key];
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new WiregateError(
      'WG_ERR_INVALID_ARGUMENT',
      `connectionStateRecovery.${key} must be a number >= 0 (Infinity allowed), got ${String(value)}`,
    );
  }
  return value;
}

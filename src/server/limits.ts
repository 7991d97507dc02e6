/**
 * Socket.IO-level limits checked where client input enters: namespaces per connection and
 * pending acknowledgements per socket; plus the volatile-drop rule for slow clients
 * (docs/limits.md).
 * @module
 */
import type { EngineSession } from '../engine';
import { WiregateError } from '../shared/errors';

/** Limit options of the Socket.IO layer (part of `ServerOptions`). */
export interface ServerLimitOptions {
  /**
   * Most namespaces one connection may be connected to at once. A CONNECT beyond it is
   * answered with a CONNECT_ERROR `{ message: 'Too many namespaces', data: { code:
   * 'WG_ERR_TOO_MANY_NAMESPACES' } }`; the connection stays open. Default 100; 0 = unlimited.
   */
  maxNamespacesPerConnection?: number;
  /**
   * Most server-to-client acknowledgements one socket may wait for. An emit with an ack
   * beyond it is not sent: its callback gets a `WiregateError` `WG_ERR_TOO_MANY_ACKS` on the
   * next tick (`emitWithAck` rejects with it). Default 1000; 0 = unlimited.
   */
  maxPendingAcks?: number;
}

/** Default of `maxNamespacesPerConnection`. */
export const DEFAULT_MAX_NAMESPACES_PER_CONNECTION = 100;
/** Default of `maxPendingAcks`. */
export const DEFAULT_MAX_PENDING_ACKS = 1000;

/** Whether a connection already on `connected` namespaces may not connect to another. */
export function isNamespaceLimitReached(connected: number, options: ServerLimitOptions): boolean {
  const limit = options.maxNamespacesPerConnection ?? DEFAULT_MAX_NAMESPACES_PER_CONNECTION;
  return limit > 0 && connected >= limit;
}

/** The CONNECT_ERROR a connection gets past `maxNamespacesPerConnection`. */
export function tooManyNamespaces(): Error & { data: { code: string } } {
  const err = new WiregateError(
    'WG_ERR_TOO_MANY_NAMESPACES',
    'Too many namespaces',
  ) as WiregateError & { data: { code: string } };
  err.data = { code: err.code };
  return err;
}

/** Whether a socket waiting for `pending` acks (null: none yet) may not wait for another. */
export function isAckLimitReached(
  pending: { readonly size: number } | null,
  options: ServerLimitOptions,
): boolean {
  if (pending === null) return false;
  const limit = options.maxPendingAcks ?? DEFAULT_MAX_PENDING_ACKS;
  return limit > 0 && pending.size >= limit;
}

/**
 * Answers an ack callback that could not be registered: a `WG_ERR_TOO_MANY_ACKS` error
 * on the next tick, so the caller sees it after `emit` returned, like any ack. Returns true
 * (what `emit` returns).
 */
export function refuseAck(ack: (...args: unknown[]) => void): true {
  process.nextTick(
    ack,
    new WiregateError('WG_ERR_TOO_MANY_ACKS', 'too many pending acknowledgements'),
  );
  return true;
}

/** Whether a value handed to an ack callback is the refusal of {@link refuseAck} (clients can only send JSON or binary). */
export function isAckRefusal(value: unknown): value is WiregateError {
  return value instanceof WiregateError && value.code === 'WG_ERR_TOO_MANY_ACKS';
}

/**
 * Whether a volatile packet may be written to this session now: it must be writable and
 * have nothing waiting (docs/limits.md, "Slow consumers": volatile packets go first).
 */
export function canTakeVolatile(conn: EngineSession): boolean {
  return conn.isWritable && conn.bufferedAmount === 0;
}

/**
 * Gateway lifecycle hooks.
 * @module
 */
import type { Namespace, Socket } from '../../server';

/** Called once after the gateway is bound to its namespace, before the app listens. */
export interface OnGatewayInit<N = Namespace> {
  afterInit(namespace: N): void | Promise<void>;
}

/**
 * Called for every accepted connection, after connection guards and auto-joins. Messages
 * that arrive while an async `handleConnection` runs are held and dispatched in order after it.
 * A socket restored by connection state recovery (`socket.recovered`) comes here too, as a new
 * connection with a new per-connection scope; its connection guards were skipped unless
 * `connectionStateRecovery.skipMiddlewares` is false (docs/socket-layer.md).
 */
export interface OnGatewayConnection<S = Socket> {
  handleConnection(socket: S): void | Promise<void>;
}

/** Called when a socket of the gateway's namespace disconnects. */
export interface OnGatewayDisconnect<S = Socket> {
  handleDisconnect(socket: S, reason: string): void | Promise<void>;
}

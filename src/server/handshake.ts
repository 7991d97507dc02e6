/**
 * `socket.handshake`: what a connection started with (socket-semantics.md §8).
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { HandshakeDetails } from './adapter/adapter';

/** The handshake of a socket: the opening request's details plus the CONNECT auth payload. */
export type Handshake = HandshakeDetails;

/** Builds the per-connection part of the handshake once; each socket adds its own `auth`. */
export function buildHandshakeBase(request: IncomingMessage): Omit<Handshake, 'auth'> {
  const url = request.url ?? '';
  const q = url.indexOf('?');
  const query: Record<string, string> = {};
  if (q !== -1) {
    for (const [key, value] of new URLSearchParams(url.slice(q + 1))) {
      // Own data properties only: a `__proto__` key must not reach the prototype.
      Object.defineProperty(query, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  const now = new Date();
  const tlsSocket = request.socket as (typeof request.socket & { encrypted?: boolean }) | undefined;
  return {
    headers: request.headers ?? {},
    time: now.toString(),
    address: request.socket?.remoteAddress ?? '',
    xdomain: request.headers?.origin !== undefined,
    secure: !request.socket || tlsSocket?.encrypted === true,
    issued: now.getTime(),
    url,
    query,
  };
}

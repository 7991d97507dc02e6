/**
 * `socket.handshake`: what a connection started with (docs/internals/server-semantics.md, "The handshake").
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { HandshakeDetails } from './adapter/adapter';

/** The handshake of a socket: the opening request's details plus the CONNECT auth payload. */
export type Handshake = HandshakeDetails;

/**
 * Builds a socket's handshake from what its connection kept: the opening request, the
 * client's address (read when the session opened: the TCP handle may be gone by the time
 * the handshake is first read) and the time the connection was made. Sockets build it on
 * first access (docs/benchmarks.md, finding 4: most handshakes are never read after the
 * middlewares, and an eager one cost ~0.3 kB per connection).
 */
export function buildHandshake(
  request: IncomingMessage,
  address: string,
  issued: number,
  auth: Record<string, unknown>,
): Handshake {
  const url = request.url ?? '';
  const tlsSocket = request.socket as (typeof request.socket & { encrypted?: boolean }) | undefined;
  return {
    headers: request.headers ?? {},
    time: timeString(issued),
    address,
    xdomain: request.headers?.origin !== undefined,
    secure: !request.socket || tlsSocket?.encrypted === true,
    issued,
    url,
    query: parseHandshakeQuery(url),
    auth,
  };
}

function parseHandshakeQuery(url: string): Record<string, string> {
  const query: Record<string, string> = {};
  const q = url.indexOf('?');
  if (q === -1) return query;
  for (const [key, value] of new URLSearchParams(url.slice(q + 1))) {
    // Own data properties only: a `__proto__` key must not reach the prototype.
    Object.defineProperty(query, intern(key), {
      value: intern(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return query;
}

// Idle memory (docs/benchmarks.md, finding 4): every connection kept its own copy of the
// same few strings. `Date#toString` has a resolution of one second, so connections opened
// within the same second share one `time` string; short query keys and values (`EIO`, `4`,
// `transport`, `websocket`, …) are shared through a small bounded table.

let lastSecond = -1;
let lastTime = '';

function timeString(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastTime = new Date(ms).toString();
  }
  return lastTime;
}

const INTERN_MAX_LENGTH = 16;
const INTERN_MAX_ENTRIES = 512;
const interned = new Map<string, string>();

function intern(text: string): string {
  if (text.length > INTERN_MAX_LENGTH) return text;
  const shared = interned.get(text);
  if (shared !== undefined) return shared;
  if (interned.size < INTERN_MAX_ENTRIES) interned.set(text, text);
  return text;
}

/**
 * Request validation for the Engine.IO endpoint (docs/internals/wire-protocol.md, "Request checks and refusals"): every refusal
 * becomes one of the six Engine.IO error codes.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { TransportName } from './transports/transport';

/** Engine.IO error codes and their wire messages. */
export const ENGINE_ERRORS = {
  UNKNOWN_TRANSPORT: { code: 0, message: 'Transport unknown' },
  UNKNOWN_SID: { code: 1, message: 'Session ID unknown' },
  BAD_HANDSHAKE_METHOD: { code: 2, message: 'Bad handshake method' },
  BAD_REQUEST: { code: 3, message: 'Bad request' },
  FORBIDDEN: { code: 4, message: 'Forbidden' },
  UNSUPPORTED_PROTOCOL_VERSION: { code: 5, message: 'Unsupported protocol version' },
} as const;

/** A refusal: Engine.IO code, message and context for `connection_error`. */
export interface EngineRefusal {
  code: number;
  message: string;
  context: Record<string, unknown>;
}

/** The query parameters the engine reads, parsed once per request. */
export interface EngineQuery {
  EIO?: string;
  transport?: string;
  sid?: string;
}

/**
 * Reads the three parameters the engine routes on (the last value wins). The full query is
 * the socket layer's business (`socket.handshake.query`), parsed there once per connection.
 */
export function parseQuery(url: string | undefined): EngineQuery {
  const q = url?.indexOf('?') ?? -1;
  if (url === undefined || q === -1) return { EIO: undefined, transport: undefined, sid: undefined };
  // Connection setup (docs/benchmarks.md, finding 3): a query without escapes (`+`, `%`) is
  // read in place, the same as URLSearchParams would, without building it.
  if (NEEDS_DECODING.test(url)) return parseEscapedQuery(url.slice(q + 1));
  const query: EngineQuery = { EIO: undefined, transport: undefined, sid: undefined };
  // URLSearchParams drops one leading `?` of what it is given.
  const first = url.charCodeAt(q + 1) === QUESTION_MARK ? q + 2 : q + 1;
  for (let start = first; start <= url.length; ) {
    let end = url.indexOf('&', start);
    if (end === -1) end = url.length;
    const eq = url.indexOf('=', start);
    const keyEnd = eq === -1 || eq > end ? end : eq;
    const key = routingKey(url, start, keyEnd);
    if (key !== null) query[key] = keyEnd === end ? '' : url.slice(keyEnd + 1, end);
    start = end + 1;
  }
  return query;
}

const NEEDS_DECODING = /[%+]/;
const QUESTION_MARK = 63;

/** Which routing parameter `url[start, end)` names, if any. */
function routingKey(url: string, start: number, end: number): keyof EngineQuery | null {
  const length = end - start;
  if (length === 3 && url.startsWith('EIO', start)) return 'EIO';
  if (length === 9 && url.startsWith('transport', start)) return 'transport';
  if (length === 3 && url.startsWith('sid', start)) return 'sid';
  return null;
}

function parseEscapedQuery(search: string): EngineQuery {
  const params = new URLSearchParams(search);
  return {
    EIO: lastValue(params, 'EIO'),
    transport: lastValue(params, 'transport'),
    sid: lastValue(params, 'sid'),
  };
}

function lastValue(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  return values.length === 0 ? undefined : values[values.length - 1];
}

// RFC 7230 field-value: visible ASCII, obs-text, space and tab.
const INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Makes the checks of docs/internals/wire-protocol.md, "Request checks and refusals" that need no session lookup.
 * Returns null when the request may go on.
 */
export function checkRequest(
  req: IncomingMessage,
  query: EngineQuery,
  transports: readonly TransportName[],
  isUpgrade: boolean,
): EngineRefusal | null {
  const transport = query.transport;
  if (transport === undefined || !(transports as readonly string[]).includes(transport)) {
    return refusal(ENGINE_ERRORS.UNKNOWN_TRANSPORT, { transport });
  }
  const origin = req.headers.origin;
  if (origin !== undefined && INVALID_HEADER_CHAR.test(origin)) {
    return refusal(ENGINE_ERRORS.BAD_REQUEST, { name: 'INVALID_ORIGIN', origin });
  }
  if (query.sid !== undefined) return null;
  if (req.method !== 'GET') return refusal(ENGINE_ERRORS.BAD_HANDSHAKE_METHOD, { method: req.method });
  if (transport === 'websocket' && !isUpgrade) {
    return refusal(ENGINE_ERRORS.BAD_REQUEST, { name: 'TRANSPORT_HANDSHAKE_ERROR' });
  }
  return null;
}

/** Builds a refusal from a catalogue entry. */
export function refusal(
  entry: { code: number; message: string },
  context: Record<string, unknown> = {},
  message: string = entry.message,
): EngineRefusal {
  return { code: entry.code, message, context };
}

/** Code 4 with the `allowRequest` message, or "Forbidden". */
export function forbidden(message: string): EngineRefusal {
  return refusal(ENGINE_ERRORS.FORBIDDEN, {}, message || ENGINE_ERRORS.FORBIDDEN.message);
}

/** Code 3 for a request that arrives after `engine.close()`. */
export function serverClosed(): EngineRefusal {
  return refusal(ENGINE_ERRORS.BAD_REQUEST, { name: 'SERVER_CLOSED' });
}

/** Code 3 for a failing Engine.IO middleware (CORS included). */
export function middlewareFailure(error: unknown): EngineRefusal {
  return refusal(ENGINE_ERRORS.BAD_REQUEST, { name: 'MIDDLEWARE_FAILURE', error });
}

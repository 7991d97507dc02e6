/**
 * What every server under test agrees on: event names, the room, the payload, the token.
 * @module
 */

/** Acked echo: the client sends `421["echo",PAYLOAD]`, the server answers `431[PAYLOAD]`. */
export const ECHO_EVENT = 'echo';
/** The client joins ROOM with `421["join","r"]`; answered `431[true]`. */
export const JOIN_EVENT = 'join';
/** One client sends `42["bcast",PAYLOAD]`; the server emits `m` to every socket in ROOM. */
export const BROADCAST_EVENT = 'bcast';
/** The event name of a fan-out delivery. */
export const DELIVERY_EVENT = 'm';
export const ROOM = 'r';
/** The guard of the gateway servers accepts only this `auth.token` (or `?token=` for ws). */
export const TOKEN = 'bench-token';

/** The body of an echo and of a broadcast: what a chat message looks like. */
export const PAYLOAD = { text: 'hello wiregate, this is a benchmark message', n: 42 };
export const PAYLOAD_JSON = JSON.stringify(PAYLOAD);

/** Long enough that no heartbeat falls inside a measurement window of a few seconds... or matters if it does. */
export const PING_INTERVAL_MS = 25_000;
export const PING_TIMEOUT_MS = 60_000;

/**
 * Shapes of what a handler sends back.
 * @module
 */

/**
 * Returning exactly `{ event, data }` (those two own keys, `event` a string) from a
 * handler emits `event` with `data` to the sender instead of acknowledging with the
 * object. Pass an event map to type-check it against the events you emit.
 *
 * @example
 * @SubscribeMessage('ping')
 * ping(): WsResponse<number> { return { event: 'pong', data: Date.now() }; }
 */
export interface WsResponse<T = unknown, E extends string = string> {
  event: E;
  data: T;
}

/** A `WsResponse` checked against an event map (`{ pong: (at: number) => void }`). */
export type WsResponseOf<Events> = {
  [K in keyof Events & string]: Events[K] extends (arg: infer A, ...rest: never[]) => unknown
    ? WsResponse<A, K>
    : never;
}[keyof Events & string];

/** The error every failure turns into (docs/errors.md, "Framework errors"). */
export interface WsErrorBody {
  /** A stable code: `WG_ERR_VALIDATION`, `WG_ERR_FORBIDDEN`, … or your own. */
  code: string;
  /** A message meant for the client; never a stack trace or an internal message. */
  message: string;
  /** Extra data, e.g. the list of failing properties for `WG_ERR_VALIDATION`. */
  details?: unknown;
}

/** What an ack receives on failure, and the payload of the `exception` event. */
export interface WsErrorReply {
  error: WsErrorBody;
}

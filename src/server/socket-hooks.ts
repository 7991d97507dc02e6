/**
 * What user code hooks into a socket's event flow besides listeners: catch-all listeners
 * (`onAny`, `onAnyOutgoing`) and per-packet middlewares (`socket.use`).
 * @module
 */

/** A catch-all listener: `(event, ...args)`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyListener = (event: string, ...args: any[]) => void;

/** An incoming event as per-packet middlewares see it: `[name, ...args]`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Event = [string, ...any[]];

/** A per-packet middleware: `([event, ...args], next)`. */
export type SocketMiddleware = (event: Event, next: (err?: Error) => void) => void;

/** What the middleware runner needs from its socket. */
export interface MiddlewareHost {
  readonly connected: boolean;
  /** Hands the event to the socket's listeners. */
  dispatchEvent(args: unknown[]): void;
  /** Reports an error; `isBug` false for a refusal (`next(err)`). */
  onError(err: unknown, isBug?: boolean): void;
}

/** Calls every catch-all listener; a listener added or removed meanwhile does not change this round. */
export function notifyAll(listeners: readonly AnyListener[], args: unknown[]): void {
  for (const listener of [...listeners]) listener(...(args as [string, ...unknown[]]));
}

/** The list without `listener` (all of them when it is undefined); null once empty. */
export function withoutListener(
  list: AnyListener[] | null,
  listener: AnyListener | undefined,
): AnyListener[] | null {
  if (list === null || listener === undefined) return null;
  const index = list.indexOf(listener);
  if (index !== -1) list.splice(index, 1);
  return list.length > 0 ? list : null;
}

/**
 * Runs the middlewares from `index`, then dispatches. `next(err)` drops the event and reports
 * `err`; a `next` called twice, or after the socket left, does nothing.
 */
export function runMiddlewares(
  host: MiddlewareHost,
  fns: readonly SocketMiddleware[],
  args: unknown[],
  index: number,
): void {
  if (index === fns.length) return host.dispatchEvent(args);
  let called = false;
  fns[index](args as Event, (err) => {
    if (called || !host.connected) return;
    called = true;
    if (err) return host.onError(err, false);
    // An asynchronous `next` is outside the caller's try/catch.
    try {
      runMiddlewares(host, fns, args, index + 1);
    } catch (error) {
      host.onError(error);
    }
  });
}

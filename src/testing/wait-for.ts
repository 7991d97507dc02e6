/**
 * Awaiting events in tests, with a timeout that fails loudly instead of hanging.
 * @module
 */

/** Anything with `once`/`off` (a socket.io-client socket, a server-side socket, an EventEmitter). */
export interface Listenable {
  once(event: string, listener: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  off(event: string, listener: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Options of `waitFor`. */
export interface WaitForOptions {
  /** Reject after this many ms (default 2000). */
  timeout?: number;
}

/**
 * Resolves with every argument of the next `event`.
 *
 * @example
 * const [from, text] = await waitForArgs(client, 'message');
 */
export function waitForArgs(
  target: Listenable,
  event: string,
  options: WaitForOptions = {},
): Promise<unknown[]> {
  const ms = options.timeout ?? 2000;
  return new Promise((resolve, reject) => {
    const listener = (...args: unknown[]): void => {
      clearTimeout(timer);
      resolve(args);
    };
    const timer = setTimeout(() => {
      target.off(event, listener);
      reject(new Error(`waitFor: no "${event}" event within ${ms} ms`));
    }, ms);
    target.once(event, listener);
  });
}

/**
 * Resolves with the first argument of the next `event`.
 *
 * @example
 * const message = await waitFor<ChatMessage>(client, 'message');
 */
export async function waitFor<T = unknown>(
  target: Listenable,
  event: string,
  options: WaitForOptions = {},
): Promise<T> {
  const args = await waitForArgs(target, event, options);
  return args[0] as T;
}

/**
 * Calls into an adapter that may be ours or a third party's (built on socket.io-adapter):
 * building one from either form `io.adapter()` takes, and settling what its methods return,
 * which is a value, a promise, or (for a misbehaving adapter) a rejection nobody awaits.
 * @module
 */
import type { AdapterConstructor, AdapterNamespace } from './adapter';

/**
 * Builds the adapter of `nsp`. socket.io calls `new` on whatever it was given, which works for
 * classes and for the plain `function` factories the socket.io adapters export; an arrow
 * function has no prototype and cannot be `new`ed, so it is called instead.
 */
export function instantiateAdapter<A>(factory: AdapterConstructor<A>, nsp: AdapterNamespace): A {
  if (factory.prototype === undefined) return (factory as (nsp: AdapterNamespace) => A)(nsp);
  return new (factory as new (nsp: AdapterNamespace) => A)(nsp);
}

/** Whether an adapter method handed back a promise (socket.io-adapter's cluster methods are async). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/**
 * For adapter calls whose result nobody awaits (a broadcast, a join at connection): a rejection
 * goes to `report` instead of becoming an unhandled rejection.
 */
export function reportRejection(result: unknown, report: (err: unknown) => void): void {
  if (isThenable(result)) result.then(undefined, report);
}

/**
 * For adapter calls the user may await (`socketsJoin`, `fetchSockets`…): the returned promise
 * rejects for the caller as before, and a rejection is also reported, so a caller that never
 * awaits leaves no unhandled rejection behind.
 */
export function toReportedPromise<T>(
  result: T | PromiseLike<T>,
  report: (err: unknown) => void,
): Promise<T> {
  const promise = Promise.resolve(result);
  promise.then(undefined, report);
  return promise;
}

/**
 * The one test for "is this async?" used on the hot path (docs/internals/code-style.md, "Sync stays sync").
 * @module
 */

/** True when `value` is a promise or promise-like. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/**
 * The interceptor contract.
 * @module
 */
import type { ExecutionContext } from './execution-context';

/** Runs the rest of the chain (later interceptors, then the handler). */
export interface CallHandler<T = unknown> {
  /** Returns the handler's result, or a promise of it when something in the chain is async. */
  handle(): T | Promise<T>;
}

/**
 * Wraps a handler: code before `next.handle()` runs before it, code after sees (and may
 * replace) its result. Call `next.handle()` at most once.
 *
 * @example
 * class TimingInterceptor implements Interceptor {
 *   async intercept(ctx: ExecutionContext, next: CallHandler) {
 *     const started = Date.now();
 *     const result = await next.handle();
 *     console.log(ctx.event, Date.now() - started, 'ms');
 *     return result;
 *   }
 * }
 */
export interface Interceptor {
  intercept(context: ExecutionContext, next: CallHandler): unknown;
}

/**
 * The interceptor contract.
 * @module
 */
import type { ExecutionContext } from './execution-context';

/** Runs the rest of the chain (later interceptors, then the handler). */
// `any` default: NestJS code calls next.handle().pipe(…) on it without type arguments.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface CallHandler<T = any> {
  /**
   * The rest of the chain: an rxjs Observable of its result (NestJS's contract, the
   * default; it can also be awaited), or with `createApp({ callHandler: 'value' })` the
   * result or a promise of it.
   */
  handle(): T;
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

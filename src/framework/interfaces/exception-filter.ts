/**
 * The exception filter contract.
 * @module
 */
import type { ExecutionContext } from './execution-context';
import type { WsErrorBody } from './reply';

/**
 * Turns an exception into the answer the client receives. Return a `WsErrorBody` (or a
 * `WsException`) to choose the answer; answer the client yourself — emit to
 * `host.switchToWs().getClient()` or call the ack from `host.getArgs()`, as NestJS
 * filters do — and the framework sends nothing more; return nothing without answering to
 * fall back to the default conversion. A filter that returns a promise answers the
 * client itself.
 *
 * @example
 * @Catch(QuotaError)
 * class QuotaFilter implements ExceptionFilter<QuotaError> {
 *   catch(err: QuotaError) { return { code: 'QUOTA', message: err.message }; }
 * }
 */
export interface ExceptionFilter<E = unknown> {
  catch(exception: E, context: ExecutionContext): WsErrorBody | Error | void | Promise<void>;
}

/** NestJS's name for an exception filter. */
export type WsExceptionFilter<E = unknown> = ExceptionFilter<E>;

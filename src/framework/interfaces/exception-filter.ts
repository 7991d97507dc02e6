/**
 * The exception filter contract.
 * @module
 */
import type { ExecutionContext } from './execution-context';
import type { WsErrorBody } from './reply';

/**
 * Turns an exception into the error body the client receives. Return a `WsErrorBody`
 * (or a `WsException`) to choose the answer; return nothing to fall back to the default
 * conversion. Filters are synchronous.
 *
 * @example
 * @Catch(QuotaError)
 * class QuotaFilter implements ExceptionFilter<QuotaError> {
 *   catch(err: QuotaError) { return { code: 'QUOTA', message: err.message }; }
 * }
 */
export interface ExceptionFilter<E = unknown> {
  catch(exception: E, context: ExecutionContext): WsErrorBody | Error | void;
}

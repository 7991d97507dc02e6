/**
 * Turns any thrown value into the answer clients see: filters first, then the default
 * conversion in the app's error shape.
 * @module
 */
import { INTERNAL_MESSAGE, WS_ERROR_CODES } from '../exceptions/error-codes';
import { WsException } from '../exceptions/ws-exception';
import type { ExceptionFilter } from '../interfaces/exception-filter';
import type { WsErrorBody } from '../interfaces/reply';
import type { Type } from '../interfaces/types';
import type { WsContext } from './context';
import { isThenable } from './thenable';

/** A filter with the error types it handles (`null`: all), resolved at bootstrap. */
export interface ResolvedFilter {
  filter: ExceptionFilter;
  catches: readonly Type<unknown>[] | null;
}

/** Where unknown errors are reported; `console` unless `createApp({ logger })` says otherwise. */
export interface Logger {
  log(...args: unknown[]): void;
  error(...args: unknown[]): void;
  /** Start-up warnings; `log` is used when absent. */
  warn?(...args: unknown[]): void;
}

const INTERNAL_BODY: WsErrorBody = Object.freeze({
  code: WS_ERROR_CODES.INTERNAL,
  message: INTERNAL_MESSAGE,
});

/** What the filters decided: a body to send, an error to convert, or "the filter answered". */
export type FilterOutcome =
  { kind: 'body'; body: WsErrorBody } | { kind: 'error'; error: unknown } | { kind: 'answered' };

/**
 * Runs the first filter whose `@Catch()` matches. A filter that emitted to the client or
 * called its ack (as NestJS filters do) has answered: nothing more is sent. Otherwise its
 * returned body is sent, a returned `Error` converted, and nothing returned means the
 * original error is converted.
 */
export function applyFilters(
  err: unknown,
  ctx: WsContext,
  filters: readonly ResolvedFilter[] | null,
  logger: Logger,
): FilterOutcome {
  if (filters !== null)
    for (const { filter, catches } of filters) {
      if (catches !== null && !catches.some((type) => err instanceof type)) continue;
      return runFilter(filter, err, ctx, logger);
    }
  return { kind: 'error', error: err };
}

function runFilter(
  filter: ExceptionFilter,
  err: unknown,
  ctx: WsContext,
  logger: Logger,
): FilterOutcome {
  let emitted = false;
  // Error path only: listening for the filter's own emits costs nothing per message.
  const spy = (): void => {
    emitted = true;
  };
  ctx.socket.onAnyOutgoing(spy);
  let out: unknown;
  try {
    out = filter.catch(err, ctx);
  } catch (filterError) {
    // A filter that throws is treated as if it had returned what it threw.
    return { kind: 'error', error: filterError };
  } finally {
    ctx.socket.offAnyOutgoing(spy);
  }
  if (isErrorBody(out)) {
    const body = out.details === undefined ? { code: out.code, message: out.message } : out;
    return { kind: 'body', body };
  }
  if (out instanceof Error) return { kind: 'error', error: out };
  if (isThenable(out)) {
    // An async filter answers the client itself, later; only its failure is ours to report.
    out.then(undefined, (e: unknown) =>
      logger.error(`[wiregate] exception filter failed in ${describe(ctx)}:`, e),
    );
    return { kind: 'answered' };
  }
  if (emitted || ctx.ackCalled) return { kind: 'answered' };
  return { kind: 'error', error: err };
}

/**
 * wiregate's error body for `err` (no filters): `WsException`s speak for themselves,
 * anything else is logged and sent as `WG_ERR_INTERNAL`.
 */
export function defaultBody(err: unknown, ctx: WsContext, logger: Logger): WsErrorBody {
  if (err instanceof WsException) return err.toBody();
  logger.error(`[wiregate] unhandled error in ${describe(ctx)}:`, err);
  return INTERNAL_BODY;
}

/** The error body for `err` after `filters`, for answers that must be a body (connection refusals). */
export function toErrorBody(
  err: unknown,
  ctx: WsContext,
  filters: readonly ResolvedFilter[] | null,
  logger: Logger,
): WsErrorBody {
  const outcome = applyFilters(err, ctx, filters, logger);
  if (outcome.kind === 'body') return outcome.body;
  return defaultBody(outcome.kind === 'error' ? outcome.error : err, ctx, logger);
}

export function isErrorBody(value: unknown): value is WsErrorBody {
  return (
    value !== null &&
    typeof value === 'object' &&
    !(value instanceof Error) &&
    typeof (value as WsErrorBody).code === 'string' &&
    typeof (value as WsErrorBody).message === 'string'
  );
}

/** "ChatGateway.send (event "message")" for logs. */
export function describe(ctx: WsContext): string {
  const cls = ctx.info.target?.name ?? 'app';
  return ctx.event === null
    ? `${cls} (connection)`
    : `${cls}.${ctx.info.method} (event "${ctx.event}")`;
}

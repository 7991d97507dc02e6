/**
 * Turns any thrown value into the one error shape clients see.
 * @module
 */
import { INTERNAL_MESSAGE, WS_ERROR_CODES } from '../exceptions/error-codes';
import { WsException } from '../exceptions/ws-exception';
import type { ExceptionFilter } from '../interfaces/exception-filter';
import type { WsErrorBody } from '../interfaces/reply';
import type { Type } from '../interfaces/types';
import type { WsContext } from './context';

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

/**
 * The error body for `err`: the first matching filter decides, then `WsException`s speak
 * for themselves, and anything else is logged and sent as `WG_ERR_INTERNAL`.
 */
export function toErrorBody(
  err: unknown,
  ctx: WsContext,
  filters: readonly ResolvedFilter[] | null,
  logger: Logger,
): WsErrorBody {
  const filtered = filters === null ? undefined : applyFilters(err, ctx, filters, logger);
  if (filtered !== undefined) return filtered;
  return defaultBody(err, ctx, logger);
}

function defaultBody(err: unknown, ctx: WsContext, logger: Logger): WsErrorBody {
  if (err instanceof WsException) return err.toBody();
  logger.error(`[wiregate] unhandled error in ${describe(ctx)}:`, err);
  return INTERNAL_BODY;
}

function applyFilters(
  err: unknown,
  ctx: WsContext,
  filters: readonly ResolvedFilter[],
  logger: Logger,
): WsErrorBody | undefined {
  for (const { filter, catches } of filters) {
    if (catches !== null && !catches.some((type) => err instanceof type)) continue;
    let out: unknown;
    // Error path only: a filter that throws must still leave the client answered.
    try {
      out = filter.catch(err, ctx);
    } catch (filterError) {
      return defaultBody(filterError, ctx, logger);
    }
    if (isErrorBody(out))
      return out.details === undefined ? { code: out.code, message: out.message } : out;
    if (out instanceof Error) return defaultBody(out, ctx, logger);
    return undefined;
  }
  return undefined;
}

function isErrorBody(value: unknown): value is WsErrorBody {
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

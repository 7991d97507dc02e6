/**
 * Answers a failed message: filters, then the default conversion in the app's error
 * shape (`createApp({ errors })`).
 * @module
 */
import { nestErrorPayload } from '../exceptions/nest-error-payload';
import type { WsContext } from './context';
import {
  applyFilters,
  defaultBody,
  describe,
  type Logger,
  type ResolvedFilter,
} from './exceptions';
import { disarm } from './in-flight';
import { EXCEPTION_EVENT, sendError } from './reply';

/**
 * The shape of error replies. `'wiregate'` (default): `{ error: { code, message,
 * details? } }` through the ack, else the `exception` event. `'nestjs'`: NestJS's
 * `exception` event (`{ status: 'error', message, cause }`, or a `WsException`'s object
 * as it is), and the ack is not called.
 */
export type ErrorMode = 'wiregate' | 'nestjs';

/** Answers `ctx` for `err`; never throws. */
export function answerError(
  ctx: WsContext,
  err: unknown,
  filters: readonly ResolvedFilter[] | null,
  logger: Logger,
  mode: ErrorMode,
): void {
  const outcome = applyFilters(err, ctx, filters, logger);
  if (outcome.kind === 'answered') {
    disarm(ctx);
    ctx.answered = true;
    return;
  }
  if (mode === 'wiregate') {
    sendError(
      ctx,
      outcome.kind === 'body' ? outcome.body : defaultBody(outcome.error, ctx, logger),
    );
    return;
  }
  let payload: unknown;
  if (outcome.kind === 'body') payload = outcome.body;
  else {
    const nest = nestErrorPayload(outcome.error, {
      pattern: ctx.event ?? '',
      data: ctx.data,
    });
    if (nest.unknown)
      logger.error(`[wiregate] unhandled error in ${describe(ctx)}:`, outcome.error);
    payload = nest.payload;
  }
  disarm(ctx);
  ctx.answered = true;
  ctx.socket.emit(EXCEPTION_EVENT, payload);
}

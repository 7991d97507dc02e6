/**
 * Sends a handler's result or error back to the client: ack when the client asked for
 * one, otherwise an emit (`{ event, data }` replies) or the `exception` event (errors).
 * @module
 */
import type { WsErrorBody } from '../interfaces/reply';
import type { WsContext } from './context';
import { disarm } from './in-flight';
import { drain, type ObservableLike } from './observable';

/** The event that carries errors to clients that did not send an ack. */
export const EXCEPTION_EVENT = 'exception';

/**
 * A `{ event, data }` reply: exactly those two own keys, `event` a non-empty string.
 * Anything else, including objects with more keys, is an ack value.
 */
export function isWsResponse(value: unknown): value is { event: string; data: unknown } {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as { event?: unknown };
  if (
    typeof candidate.event !== 'string' ||
    candidate.event === '' ||
    !Object.hasOwn(value, 'data')
  )
    return false;
  let keys = 0;
  for (const key in value) if (Object.hasOwn(value, key)) keys++;
  return keys === 2;
}

/**
 * Answers with the handler's result. `ownsAck` is true for handlers that take `@Ack()`:
 * they answer the ack themselves, so only a `{ event, data }` reply is sent for them.
 */
export function sendResult(ctx: WsContext, result: unknown, ownsAck: boolean): void {
  if (ctx.answered) return;
  disarm(ctx);
  if (isWsResponse(result)) {
    // Emit first: if the event name is refused (reserved), the error path still answers.
    ctx.socket.emit(result.event, result.data);
    ctx.answered = true;
    // The client asked for an ack: settle it (empty) so it never waits for its timeout.
    if (ctx.ack !== null && !ownsAck) ctx.ack();
    return;
  }
  ctx.answered = true;
  if (ctx.ack === null || ownsAck) return;
  if (result === undefined) ctx.ack();
  else ctx.ack(result);
}

/**
 * How results are answered: `'nestjs'` (the default) as `@nestjs/platform-socket.io`
 * does, `'wiregate'` with an answer for every acked message (docs/handlers-and-replies.md).
 */
export type ReplyMode = 'nestjs' | 'wiregate';

/**
 * NestJS's reply rules: `null`/`undefined` sends nothing; a value with a truthy `event`
 * emits that event with its `data` (no ack); anything else answers the ack, if the
 * client sent one and the handler does not take `@Ack()`.
 */
export function sendNestResult(ctx: WsContext, result: unknown, ownsAck: boolean): void {
  if (ctx.answered) return;
  disarm(ctx);
  if (result !== null && result !== undefined) {
    const event = (result as { event?: unknown }).event;
    // Emit before marking answered: a refused event name (reserved) still gets the error path.
    if (event) ctx.socket.emit(event as string, (result as { data?: unknown }).data);
    else if (ctx.ack !== null && !ownsAck) ctx.ack(result);
  }
  ctx.answered = true;
}

/** Answers with an error, through the ack if there is one, else the `exception` event. */
export function sendError(ctx: WsContext, body: WsErrorBody): void {
  disarm(ctx);
  ctx.answered = true;
  const reply = { error: body };
  if (ctx.ack !== null) ctx.ack(reply);
  else ctx.socket.emit(EXCEPTION_EVENT, reply);
}

/**
 * Answers with every value of an Observable result, as NestJS does: each value is
 * answered by the mode's rules (an ack answers at most once, events are emitted each
 * time). With `'wiregate'` replies, an ack still unanswered when the stream completes is
 * answered with nothing. Resolves when the stream completes.
 */
export function sendStream(
  ctx: WsContext,
  source: ObservableLike,
  ownsAck: boolean,
  mode: ReplyMode,
): Promise<void> {
  let acked = false;
  const ack = ctx.ack === null || ownsAck ? null : ctx.ack;
  return drain(source, (value) => {
    if (ctx.answered) return;
    // The handler has answered: its timeout no longer applies.
    disarm(ctx);
    if (value === null || value === undefined) return;
    const isEvent =
      mode === 'wiregate' ? isWsResponse(value) : Boolean((value as { event?: unknown }).event);
    if (isEvent) {
      const { event, data } = value as { event: string; data?: unknown };
      ctx.socket.emit(event, data);
    } else if (ack !== null && !acked) {
      acked = true;
      ack(value);
    }
  }).then(() => {
    if (ctx.answered) return;
    disarm(ctx);
    if (mode === 'wiregate' && ack !== null && !acked) ack();
    ctx.answered = true;
  });
}

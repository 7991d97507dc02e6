/**
 * `BaseWsExceptionFilter`: NestJS's default websocket filter, for filters that extend it.
 * @module
 */
import type { ArgumentsHost } from '../interfaces/arguments-host';
import type { ExceptionFilter } from '../interfaces/exception-filter';
import { EXCEPTION_EVENT } from '../pipeline/reply';
import { nestErrorPayload, type ErrorCause, type NestErrorOptions } from './nest-error-payload';

/** Something that can emit: the client socket. */
interface Emitter {
  emit(event: string, ...args: unknown[]): unknown;
}

/**
 * Emits NestJS's error reply to the client as the `exception` event: an object error of
 * a `WsException` as it is, a string error as `{ status: 'error', message, cause }`,
 * anything else as `'Internal server error'` (logged). Extend it and call
 * `super.catch(exception, host)` to add to NestJS's behaviour; because it emits, the
 * framework sends nothing more.
 *
 * @example
 * @Catch()
 * export class AllExceptionsFilter extends BaseWsExceptionFilter {
 *   catch(exception: unknown, host: ArgumentsHost) {
 *     audit(exception);
 *     super.catch(exception, host);
 *   }
 * }
 */
export class BaseWsExceptionFilter<T = unknown> implements ExceptionFilter<T> {
  /** Where unknown errors are logged (default `console`); shared by every instance. */
  static logger: { error(...args: unknown[]): void } = console;

  constructor(protected readonly options: NestErrorOptions = {}) {}

  catch(exception: T, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    this.handleError(ws.getClient<Emitter>(), exception, {
      pattern: ws.getPattern(),
      data: ws.getData(),
    });
  }

  /** Emits the payload for `exception` to `client`. */
  handleError(client: Emitter, exception: unknown, cause: ErrorCause): void {
    const { payload, unknown } = nestErrorPayload(exception, cause, this.options);
    client.emit(EXCEPTION_EVENT, payload);
    if (unknown) BaseWsExceptionFilter.logger.error('[wiregate] unhandled error:', exception);
  }
}

/**
 * The factory for errors `createApp` throws at startup.
 * @module
 */
import { WiregateError } from '../../shared/errors';

/**
 * Builds a `WG_ERR_BOOTSTRAP` error whose message says what to fix. When a cause is
 * given its message is chained the way tsyringe does ("… Reason: …").
 */
export function bootstrapError(message: string, cause?: unknown): WiregateError {
  const reason = cause instanceof Error ? `\nReason: ${cause.message}` : '';
  const err = new WiregateError(
    'WG_ERR_BOOTSTRAP',
    message + reason,
    cause === undefined ? undefined : { cause },
  );
  Error.captureStackTrace?.(err, bootstrapError);
  return err;
}

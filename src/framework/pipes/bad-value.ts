/**
 * The error the parse pipes throw.
 * @module
 */
import { WS_ERROR_CODES } from '../exceptions/error-codes';
import { WsException } from '../exceptions/ws-exception';
import type { ArgumentMetadata } from '../interfaces/pipe';

/** `WG_ERR_BAD_REQUEST` naming the property (if any) and what was expected. */
export function badValue(expected: string, meta: ArgumentMetadata): WsException {
  const what = meta.data === undefined ? 'payload' : meta.data;
  return new WsException(`${what} must be ${expected}`, {
    code: WS_ERROR_CODES.BAD_REQUEST,
    details: { property: meta.data ?? null, expected },
  });
}

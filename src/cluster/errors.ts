/**
 * The errors of cross-server operations. Codes: the catalogue (shared/errors.ts) has no
 * cluster-specific code; WG_ERR_ACK_TIMEOUT is the closest ("the others did not answer in
 * time"). Every cluster error is built here.
 * @module
 */
import { WiregateError } from '../shared/errors';

/** Some servers did not answer a request within `requestsTimeout`. */
export function timeoutError(
  label: string,
  missing: number,
  total: number,
  ms: number,
): WiregateError {
  return new WiregateError(
    'WG_ERR_ACK_TIMEOUT',
    `${label}: ${missing} of ${total} other server(s) did not answer within ${ms} ms (requestsTimeout)`,
  );
}

/** The servers could not be counted in time (Redis unreachable). */
export function countTimeoutError(label: string, ms: number): WiregateError {
  return new WiregateError(
    'WG_ERR_ACK_TIMEOUT',
    `${label}: could not count the servers within ${ms} ms (requestsTimeout)`,
  );
}

/** The request could not be published. */
export function unreachableError(label: string, cause: unknown): WiregateError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new WiregateError(
    'WG_ERR_ACK_TIMEOUT',
    `${label}: could not reach the other servers (${reason})`,
    { cause },
  );
}

/** The adapter was closed. */
export function closedError(nsp: string): WiregateError {
  return new WiregateError(
    'WG_ERR_SERVER_NOT_RUNNING',
    `the cluster adapter of namespace "${nsp}" is closed`,
  );
}

/**
 * The guard contract.
 * @module
 */
import type { ExecutionContext } from './execution-context';

/**
 * Decides whether a connection or message may proceed. Returning `false` refuses with
 * `WG_ERR_FORBIDDEN`; throwing a `WsException` refuses with that exception's code.
 *
 * @example
 * class SessionGuard implements CanActivate {
 *   canActivate(ctx: ExecutionContext) { return typeof ctx.handshake.auth.token === 'string'; }
 * }
 */
export interface CanActivate {
  /** `true`/`false`, a promise of it, or (as in NestJS) an Observable whose first value decides. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> | GuardObservable;
}

/** An Observable of the guard's answer (rxjs's, or any with `subscribe`). */
export interface GuardObservable {
  subscribe(observer: {
    next: (value: boolean) => void;
    error: (err: unknown) => void;
    complete: () => void;
  }): unknown;
}

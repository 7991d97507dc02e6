/**
 * `Reflector`: reads custom metadata (`SetMetadata`) from a guard's or interceptor's context.
 * @module
 */
import type { ExecutionContext } from './interfaces/execution-context';

/**
 * Injectable reader of custom metadata. The data was read once at bootstrap; `get` is a
 * map lookup, safe on the per-message path.
 *
 * @example
 * @injectable()
 * class RolesGuard implements CanActivate {
 *   constructor(private readonly reflector: Reflector) {}
 *   canActivate(ctx: ExecutionContext) {
 *     const roles = this.reflector.get<string[]>('roles', ctx);
 *     return !roles || roles.includes(ctx.socket.data.role);
 *   }
 * }
 */
export class Reflector {
  /** The handler's value for `key`, else the gateway class's value, else `undefined`. */
  get<T = unknown>(key: unknown, context: ExecutionContext): T | undefined {
    return context.getMetadata<T>(key);
  }
}

/**
 * `@FromConnection(token)`: injects a provider from the connection's own container.
 * @module
 */
import type { InjectionToken } from 'tsyringe';
import { recordParam } from './param-kinds';

/**
 * Resolves `token` from the sender's per-connection container (created on first use,
 * disposed on disconnect). An unregistered class token is registered as one instance
 * per connection (docs/dependency-injection.md).
 *
 * @example
 * add(@MessageBody() n: number, @FromConnection(Counter) counter: Counter) { return counter.add(n); }
 */
export function FromConnection(token: InjectionToken<unknown>): ParameterDecorator {
  return (target, method, index) =>
    recordParam(target, method, { index, kind: 'connection', token });
}

/**
 * NestJS's request scope, mapped to a connection: `Scope.REQUEST` providers and gateways
 * live in the connection's own container, and `REQUEST` injects the socket.
 * @module
 */
import { instancePerContainerCachingFactory, type DependencyContainer } from 'tsyringe';
import type { Type } from '../interfaces/types';
import { readInjectionTokens, readParamTypes } from '../metadata/read';
import { declaredScope } from './injectable';
import { Scope } from './scope';

/**
 * The token of the current request, as in NestJS (`@Inject(REQUEST)`): here the socket of
 * the connection the instance belongs to. Only request-scoped (per-connection) instances
 * can inject it.
 */
export const REQUEST = 'REQUEST';

/**
 * True when `cls` must be one instance per connection: it is `Scope.REQUEST`, or (as
 * NestJS's scope bubbles up) something it injects is, or it injects `REQUEST`.
 */
export function isRequestScoped(cls: Type, seen = new Set<Type>()): boolean {
  if (seen.has(cls)) return false;
  seen.add(cls);
  if (declaredScope(cls) === Scope.REQUEST) return true;
  const tokens = readInjectionTokens(cls);
  const types = readParamTypes(cls) ?? [];
  for (let index = 0; index < types.length; index++) {
    const descriptor = tokens[index] as { token?: unknown } | undefined;
    const token = descriptor !== undefined ? (descriptor.token ?? descriptor) : types[index];
    if (token === REQUEST) return true;
    if (typeof token === 'function' && isRequestScoped(token as Type, seen)) return true;
  }
  return false;
}

/**
 * Registers a request-scoped gateway: one instance per connection container, built with
 * that container (so it gets the connection's providers and `REQUEST`), handed to
 * `prepare` once (the `@WebSocketServer()` properties).
 */
export function registerPerConnectionClass(
  container: DependencyContainer,
  cls: Type,
  prepare: (instance: object) => void,
): void {
  const build = Symbol(`${cls.name} (per connection)`);
  container.register(build, { useClass: cls });
  container.register(cls, {
    useFactory: instancePerContainerCachingFactory((c) => {
      const instance = c.resolve(build) as object;
      prepare(instance);
      return instance;
    }),
  });
}

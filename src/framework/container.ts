/**
 * The app's tsyringe container: one child container per app, never the global one
 * (docs/internals/code-style.md, "The framework: read metadata once"), with singletons by default and per-connection registrations.
 * @module
 */
// tsyringe checks for the Reflect polyfill when it loads: load it first, so users need not.
import 'reflect-metadata';
import {
  container as globalContainer,
  Lifecycle,
  type DependencyContainer,
  type InjectionToken,
} from 'tsyringe';
import { bootstrapError } from './exceptions/bootstrap-error';
import type { Type } from './interfaces/types';
import { readInjectionTokens, readParamTypes } from './metadata/read';
import { declaredScope } from './di/injectable';
import { lifecycleOf } from './di/scope';

/** Types TypeScript emits for parameters it cannot describe as a class. */
const NOT_INJECTABLE = new Set<unknown>([
  Object,
  String,
  Number,
  Boolean,
  Symbol,
  Array,
  Function,
  Promise,
  undefined,
]);

/** Tokens of one-per-app providers each app container holds, in registration order (for lifecycle hooks). */
const appSingletons = new WeakMap<DependencyContainer, Set<InjectionToken<unknown>>>();

/** Records a token whose instance is one per app (its lifecycle hooks are called). */
export function recordSingleton(
  container: DependencyContainer,
  token: InjectionToken<unknown>,
): void {
  let tokens = appSingletons.get(container);
  if (tokens === undefined) appSingletons.set(container, (tokens = new Set()));
  tokens.add(token);
}

/** The one-per-app tokens registered in `container` so far, in order. */
export function singletonTokens(container: DependencyContainer): InjectionToken<unknown>[] {
  return [...(appSingletons.get(container) ?? [])];
}

/** A fresh child of the user's container (or of tsyringe's global one). */
export function createAppContainer(parent: DependencyContainer | undefined): DependencyContainer {
  return (parent ?? globalContainer).createChildContainer();
}

/**
 * Registers `root` and every class reachable from its constructor as a singleton of the
 * app container, unless a registration already exists (the user's choice wins).
 * @throws WiregateError `WG_ERR_BOOTSTRAP` naming the class and parameter that cannot be injected.
 */
export function registerSingletons(
  container: DependencyContainer,
  root: Type,
  seen = new Set<Type>(),
): void {
  if (seen.has(root)) return;
  seen.add(root);
  if (!container.isRegistered(root, true)) {
    // NestJS's default is one instance per app; `@Injectable({ scope })` says otherwise.
    const lifecycle = lifecycleOf(declaredScope(root));
    container.register(root, { useClass: root }, { lifecycle } as {
      lifecycle: Lifecycle.Singleton;
    });
  }
  for (const dep of constructorDependencies(root)) registerSingletons(container, dep, seen);
}

/** Registers a class token as one instance per connection container (unless already registered). */
export function registerPerConnection(
  container: DependencyContainer,
  token: InjectionToken<unknown>,
): void {
  if (typeof token !== 'function' || container.isRegistered(token, true)) return;
  const cls = token as Type;
  container.register(cls, { useClass: cls }, { lifecycle: Lifecycle.ContainerScoped });
  const seen = new Set<Type>([cls]);
  for (const dep of constructorDependencies(cls)) registerSingletons(container, dep, seen);
}

/**
 * Class dependencies of a constructor: class-typed parameters, and classes named by
 * `@inject(Class)` / `@Inject(Class)` (not optional ones: those stay unregistered unless
 * provided, so they resolve to `undefined`).
 */
function constructorDependencies(cls: Type): Type[] {
  const types = readParamTypes(cls);
  if (types === undefined) return [];
  const overridden = readInjectionTokens(cls);
  const deps: Type[] = [];
  types.forEach((type, index) => {
    if (index in overridden) {
      const token = injectedClass(overridden[index]);
      if (token !== null) deps.push(token);
      return;
    }
    if (NOT_INJECTABLE.has(type)) {
      throw bootstrapError(
        `Cannot inject parameter #${index} of ${cls.name}: its type is ${describeType(type)} at runtime. ` +
          'Likely cause: an interface, a primitive, or a type-only/circular import. Use @inject(token) for it.',
      );
    }
    if (typeof type === 'function') deps.push(type as Type);
  });
  return deps;
}

/** The class a tsyringe parameter descriptor injects, when it injects one class, required. */
function injectedClass(descriptor: unknown): Type | null {
  if (typeof descriptor === 'function') return descriptor as Type;
  if (descriptor === null || typeof descriptor !== 'object') return null;
  const { token, multiple, isOptional } = descriptor as {
    token?: unknown;
    multiple?: boolean;
    isOptional?: boolean;
  };
  return typeof token === 'function' && multiple !== true && isOptional !== true
    ? (token as Type)
    : null;
}

function describeType(type: unknown): string {
  return typeof type === 'function' ? (type as Type).name : String(type);
}

/**
 * Resolves a class the framework needs (gateway, guard, pipe, …) with an error that
 * names the class and its role.
 * @throws WiregateError `WG_ERR_BOOTSTRAP`
 */
export function resolveClass<T>(container: DependencyContainer, cls: Type<T>, role: string): T {
  registerSingletons(container, cls);
  try {
    return container.resolve(cls);
  } catch (err) {
    const hint = /TypeInfo not known/.test(String((err as Error)?.message))
      ? ` Likely cause: ${cls.name} (or a dependency) is missing @injectable(), or emitDecoratorMetadata is off.`
      : '';
    throw bootstrapError(`Cannot create ${role} ${cls.name}.${hint}`, err);
  }
}

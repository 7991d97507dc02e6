/**
 * Provider declarations (NestJS's forms) and their registration in the app container.
 * @module
 */
import {
  instancePerContainerCachingFactory,
  Lifecycle,
  type DependencyContainer,
  type InjectionToken,
} from 'tsyringe';
import { bootstrapError } from '../exceptions/bootstrap-error';
import type { Type } from '../interfaces/types';
import { recordSingleton } from '../container';
import { declaredScope } from './injectable';
import { lifecycleOf, Scope } from './scope';

/** A token: a class, a string or a symbol. */
export type ProviderToken = InjectionToken<unknown>;

/** `{ provide, useClass }` */
export interface ClassProvider<T = unknown> {
  provide: ProviderToken;
  useClass: Type<T>;
  scope?: Scope;
}

/** `{ provide, useValue }` */
export interface ValueProvider<T = unknown> {
  provide: ProviderToken;
  useValue: T;
}

/** `{ provide, useFactory, inject }`: the factory's result (awaited) is the provider. */
export interface FactoryProvider<T = unknown> {
  provide: ProviderToken;
  useFactory: (...args: never[]) => T | Promise<T>;
  inject?: (ProviderToken | { token: ProviderToken; optional: boolean })[];
  scope?: Scope;
}

/** `{ provide, useExisting }`: another name for a registered provider. */
export interface ExistingProvider {
  provide: ProviderToken;
  useExisting: ProviderToken;
}

/** Every form a provider can take. */
export type Provider<T = unknown> =
  Type<T> | ClassProvider<T> | ValueProvider<T> | FactoryProvider<T> | ExistingProvider;

/**
 * Registers providers in the app container. Singleton factories run here, once, in
 * order of need (a factory's `inject` tokens first), and are awaited.
 * @throws WiregateError `WG_ERR_BOOTSTRAP` for a malformed provider or a failing factory.
 */
export async function registerProviders(
  container: DependencyContainer,
  providers: readonly Provider[],
): Promise<void> {
  const pending = new Map<ProviderToken, FactoryProvider>();
  for (const provider of providers) {
    if (typeof provider === 'function') {
      registerClass(container, provider, provider, declaredScope(provider));
    } else if (provider === null || typeof provider !== 'object' || !('provide' in provider)) {
      throw bootstrapError(
        `A provider must be a class or { provide, use… }, got ${String(provider)}`,
      );
    } else if ('useValue' in provider) {
      container.register(provider.provide, { useValue: provider.useValue });
      recordSingleton(container, provider.provide);
    } else if ('useClass' in provider) {
      const scope = provider.scope ?? declaredScope(provider.useClass);
      registerClass(container, provider.provide, provider.useClass, scope);
    } else if ('useExisting' in provider) {
      container.register(provider.provide, { useToken: provider.useExisting });
    } else if ('useFactory' in provider) {
      if (provider.scope === Scope.REQUEST || provider.scope === Scope.TRANSIENT) {
        // tsyringe refuses lifecycles on factories; its per-container cache is the same
        // thing for a per-connection container.
        const factory = (c: DependencyContainer): unknown => callFactory(c, provider);
        container.register(provider.provide, {
          useFactory:
            provider.scope === Scope.REQUEST
              ? instancePerContainerCachingFactory(factory)
              : factory,
        });
      } else pending.set(provider.provide, provider);
    } else {
      const token = (provider as { provide: unknown }).provide;
      throw bootstrapError(
        `Provider ${describe(token)} has no useClass, useValue, useFactory or useExisting`,
      );
    }
  }
  const done = new Set<ProviderToken>();
  for (const token of pending.keys()) await runFactory(container, token, pending, done, []);
}

function registerClass(
  container: DependencyContainer,
  token: ProviderToken,
  cls: Type,
  scope: Scope | undefined,
): void {
  const lifecycle = lifecycleOf(scope);
  container.register(token, { useClass: cls }, { lifecycle } as { lifecycle: Lifecycle.Singleton });
  if (lifecycle === Lifecycle.Singleton) recordSingleton(container, token);
}

async function runFactory(
  container: DependencyContainer,
  token: ProviderToken,
  pending: Map<ProviderToken, FactoryProvider>,
  done: Set<ProviderToken>,
  path: ProviderToken[],
): Promise<void> {
  const provider = pending.get(token);
  if (provider === undefined || done.has(token)) return;
  if (path.includes(token))
    throw bootstrapError(
      `Factory providers depend on each other in a cycle: ${[...path, token].map(describe).join(' -> ')}`,
    );
  for (const dep of provider.inject ?? [])
    await runFactory(container, tokenOf(dep), pending, done, [...path, token]);
  let value: unknown;
  try {
    value = await callFactory(container, provider);
  } catch (err) {
    throw bootstrapError(`The factory of provider ${describe(token)} failed`, err);
  }
  container.register(token, { useValue: value });
  recordSingleton(container, token);
  done.add(token);
}

function callFactory(container: DependencyContainer, provider: FactoryProvider): unknown {
  const args = (provider.inject ?? []).map((dep) => {
    const token = tokenOf(dep);
    const optional = typeof dep === 'object' && dep !== null && 'optional' in dep && dep.optional;
    if (optional && !container.isRegistered(token, true)) return undefined;
    return container.resolve(token);
  });
  return (provider.useFactory as (...a: unknown[]) => unknown)(...args);
}

function tokenOf(dep: ProviderToken | { token: ProviderToken; optional: boolean }): ProviderToken {
  return typeof dep === 'object' && dep !== null && 'token' in dep
    ? dep.token
    : (dep as ProviderToken);
}

/** A token as it is named in messages. */
export function describe(token: unknown): string {
  if (typeof token === 'function') return (token as Type).name;
  return String(token);
}

/**
 * NestJS's `APP_GUARD`, `APP_PIPE`, `APP_INTERCEPTOR` and `APP_FILTER` providers: app-wide
 * enhancers declared in a module, with dependency injection.
 * @module
 */
import { Lifecycle, type DependencyContainer } from 'tsyringe';
import { bootstrapError } from '../exceptions/bootstrap-error';
import type { CanActivate } from '../interfaces/guard';
import type { CallHandler, Interceptor } from '../interfaces/interceptor';
import type { ExecutionContext } from '../interfaces/execution-context';
import type { Type } from '../interfaces/types';
import { declaredScope } from './injectable';
import type { FactoryProvider, Provider, ProviderToken } from './providers';
import { Scope } from './scope';

/** Provide an app-wide guard from a module: `{ provide: APP_GUARD, useClass: AuthGuard }`. */
export const APP_GUARD = 'APP_GUARD';
/** Provide an app-wide pipe from a module. */
export const APP_PIPE = 'APP_PIPE';
/** Provide an app-wide interceptor from a module. */
export const APP_INTERCEPTOR = 'APP_INTERCEPTOR';
/** Provide an app-wide exception filter from a module. */
export const APP_FILTER = 'APP_FILTER';

type Kind = 'guards' | 'pipes' | 'interceptors' | 'filters';

const KIND_OF: Record<string, Kind> = {
  [APP_GUARD]: 'guards',
  [APP_PIPE]: 'pipes',
  [APP_INTERCEPTOR]: 'interceptors',
  [APP_FILTER]: 'filters',
};

/** App-wide enhancers from providers, as `createApp` takes them (classes or instances). */
export type AppEnhancers = Record<Kind, unknown[]>;

/** Separates `APP_*` providers from the others. */
export function splitAppEnhancers(providers: readonly Provider[]): {
  providers: Provider[];
  enhancers: { kind: Kind; provider: Exclude<Provider, Type> }[];
} {
  const rest: Provider[] = [];
  const enhancers: { kind: Kind; provider: Exclude<Provider, Type> }[] = [];
  for (const provider of providers) {
    const token =
      typeof provider === 'object' && provider !== null ? (provider.provide as unknown) : null;
    const kind = typeof token === 'string' ? KIND_OF[token] : undefined;
    if (kind === undefined) rest.push(provider);
    else enhancers.push({ kind, provider: provider as Exclude<Provider, Type> });
  }
  return { providers: rest, enhancers };
}

/**
 * Turns `APP_*` providers into enhancers, in declaration order. A request-scoped guard
 * or interceptor class is built per connection (from the connection's container) and
 * called through a stand-in that the pipeline holds once.
 * @throws WiregateError `WG_ERR_BOOTSTRAP` for request-scoped pipes and filters.
 */
export async function resolveAppEnhancers(
  container: DependencyContainer,
  entries: readonly { kind: Kind; provider: Exclude<Provider, Type> }[],
): Promise<AppEnhancers> {
  const out: AppEnhancers = { guards: [], pipes: [], interceptors: [], filters: [] };
  for (const { kind, provider } of entries) {
    if ('useValue' in provider) out[kind].push(provider.useValue);
    else if ('useExisting' in provider) out[kind].push(container.resolve(provider.useExisting));
    else if ('useFactory' in provider) out[kind].push(await callFactory(container, provider));
    else if ('useClass' in provider) {
      const cls = provider.useClass;
      const scope = provider.scope ?? declaredScope(cls);
      if (scope !== Scope.REQUEST) out[kind].push(cls);
      else out[kind].push(perConnection(container, kind, cls));
    }
  }
  return out;
}

function perConnection(container: DependencyContainer, kind: Kind, cls: Type): object {
  if (kind === 'pipes' || kind === 'filters')
    throw bootstrapError(
      `${cls.name}: request-scoped ${kind === 'pipes' ? 'APP_PIPE' : 'APP_FILTER'} providers are not supported (a pipe or filter has no connection to be built for); make it a singleton`,
    );
  if (!container.isRegistered(cls, true))
    container.register(cls, { useClass: cls }, { lifecycle: Lifecycle.ContainerScoped });
  if (kind === 'guards')
    return {
      canActivate: (ctx: ExecutionContext) =>
        ctx.resolve(cls as Type<CanActivate>).canActivate(ctx),
    } satisfies CanActivate;
  return {
    intercept: (ctx: ExecutionContext, next: CallHandler) =>
      ctx.resolve(cls as Type<Interceptor>).intercept(ctx, next),
  } satisfies Interceptor;
}

async function callFactory(
  container: DependencyContainer,
  provider: FactoryProvider,
): Promise<unknown> {
  const args = (provider.inject ?? []).map((dep) =>
    container.resolve(
      (typeof dep === 'object' && dep !== null && 'token' in dep
        ? dep.token
        : dep) as ProviderToken,
    ),
  );
  return (provider.useFactory as (...a: unknown[]) => unknown)(...args);
}

/**
 * Provider scopes, with NestJS's names and values.
 * @module
 */
import { Lifecycle } from 'tsyringe';

/**
 * How many instances of a provider exist. `DEFAULT`: one per app (a singleton).
 * `TRANSIENT`: a new one for every class that injects it. `REQUEST`: one per
 * connection — NestJS's per-request scope maps to a socket's lifetime here.
 */
export enum Scope {
  DEFAULT = 0,
  TRANSIENT = 1,
  REQUEST = 2,
}

/** Options of `@Injectable()` (NestJS's `durable` has no meaning here: one connection is one context). */
export interface ScopeOptions {
  scope?: Scope;
  durable?: boolean;
}

/** tsyringe's lifecycle for a NestJS scope. */
export function lifecycleOf(scope: Scope | undefined): Lifecycle {
  if (scope === Scope.REQUEST) return Lifecycle.ContainerScoped;
  if (scope === Scope.TRANSIENT) return Lifecycle.Transient;
  return Lifecycle.Singleton;
}

/**
 * Resolves guards, pipes, interceptors and filters (classes or instances) once, at bootstrap.
 * @module
 */
import type { DependencyContainer } from 'tsyringe';
import { resolveClass } from './container';
import { bootstrapError } from './exceptions/bootstrap-error';
import type { ResolvedFilter } from './pipeline/exceptions';
import type { Type } from './interfaces/types';
import { CATCH_TYPES } from './metadata/keys';
import { readValue } from './metadata/read';

/** The method each kind of enhancer must have. */
const REQUIRED_METHOD = {
  guard: 'canActivate',
  pipe: 'transform',
  interceptor: 'intercept',
  filter: 'catch',
} as const;

/** Enhancer kinds. */
export type EnhancerKind = keyof typeof REQUIRED_METHOD;

/** Turns class references into (singleton) instances and checks their shape. */
export class EnhancerResolver {
  constructor(private readonly container: DependencyContainer) {}

  /**
   * @throws WiregateError `WG_ERR_BOOTSTRAP` when `ref` lacks the required method.
   */
  resolve<T>(ref: unknown, kind: EnhancerKind, where: string): T {
    const method = REQUIRED_METHOD[kind];
    const instance =
      typeof ref === 'function' ? resolveClass(this.container, ref as Type, kind) : ref;
    if (
      instance === null ||
      typeof instance !== 'object' ||
      typeof (instance as Record<string, unknown>)[method] !== 'function'
    ) {
      const name = typeof ref === 'function' ? (ref as Type).name : String(ref);
      throw bootstrapError(`The ${kind} ${name} used on ${where} has no ${method}() method`);
    }
    return instance as T;
  }

  resolveAll<T>(refs: readonly unknown[], kind: EnhancerKind, where: string): T[] {
    return refs.map((ref) => this.resolve<T>(ref, kind, where));
  }

  resolveFilters(refs: readonly unknown[], where: string): ResolvedFilter[] {
    return refs.map((ref) => {
      const filter = this.resolve<ResolvedFilter['filter']>(ref, 'filter', where);
      const types = readValue<Type<unknown>[]>(CATCH_TYPES, filter.constructor);
      return { filter, catches: types === undefined || types.length === 0 ? null : types };
    });
  }
}

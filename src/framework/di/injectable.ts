/**
 * `@Injectable()`, `@Inject()`, `@Optional()`: NestJS's DI decorators on top of tsyringe.
 * @module
 */
import 'reflect-metadata';
import { injectable, type InjectionToken } from 'tsyringe';
import { OPTIONAL_PARAMS, SCOPE, TSYRINGE_INJECTION_TOKENS } from '../metadata/keys';
import { setMetadata } from '../metadata/write';
import { readParamTypes, readValue } from '../metadata/read';
import type { Scope, ScopeOptions } from './scope';

/**
 * Makes a class injectable. Singleton by default (one per app), as in NestJS;
 * `{ scope: Scope.REQUEST }` gives one instance per connection, `Scope.TRANSIENT` one per
 * injection.
 *
 * @example
 * @Injectable()
 * export class ChatService {}
 */
export function Injectable(options: ScopeOptions = {}): ClassDecorator {
  return (target) => {
    if (options.scope !== undefined) setMetadata(SCOPE, options.scope, target);
    injectable()(target as unknown as new (...args: never[]) => unknown);
  };
}

/** The scope a class declared with `@Injectable({ scope })`, if any. */
export function declaredScope(target: object): Scope | undefined {
  return readValue<Scope>(SCOPE, target);
}

/** tsyringe's per-parameter record (what its own `@inject` writes). */
interface TokenDescriptor {
  token: InjectionToken<unknown>;
  multiple: false;
  isOptional: boolean;
}

/**
 * Injects the provider registered under `token` into a constructor parameter (without a
 * token: the parameter's declared type).
 *
 * @example
 * constructor(@Inject('CONFIG') private readonly config: Config) {}
 */
export function Inject(token?: InjectionToken<unknown>): ParameterDecorator {
  return (target, method, index) => {
    if (method !== undefined)
      throw new TypeError('@Inject() is supported on constructor parameters only');
    const type = token ?? readParamTypes(target)?.[index];
    writeDescriptor(target, index, (old) => ({
      token: type as InjectionToken<unknown>,
      multiple: false,
      isOptional: old?.isOptional ?? isMarkedOptional(target, index),
    }));
  };
}

/**
 * Injects `undefined` instead of failing when nothing is registered for the parameter's
 * token.
 *
 * @example
 * constructor(@Optional() @Inject('CACHE') private readonly cache?: Cache) {}
 */
export function Optional(): ParameterDecorator {
  return (target, method, index) => {
    if (method !== undefined)
      throw new TypeError('@Optional() is supported on constructor parameters only');
    const marked = readValue<number[]>(OPTIONAL_PARAMS, target) ?? [];
    setMetadata(OPTIONAL_PARAMS, [...marked, index], target);
    writeDescriptor(target, index, (old) => ({
      token: old?.token ?? (readParamTypes(target)?.[index] as InjectionToken<unknown>),
      multiple: false,
      isOptional: true,
    }));
  };
}

function isMarkedOptional(target: object, index: number): boolean {
  return (readValue<number[]>(OPTIONAL_PARAMS, target) ?? []).includes(index);
}

function writeDescriptor(
  target: object,
  index: number,
  next: (old: TokenDescriptor | undefined) => TokenDescriptor,
): void {
  const own = (Reflect.getOwnMetadata(TSYRINGE_INJECTION_TOKENS, target) ?? {}) as Record<
    number,
    TokenDescriptor | undefined
  >;
  Reflect.defineMetadata(TSYRINGE_INJECTION_TOKENS, { ...own, [index]: next(own[index]) }, target);
}

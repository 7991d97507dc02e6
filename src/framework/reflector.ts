/**
 * `Reflector`: reads custom metadata (`SetMetadata`) from a context, a handler or a class.
 * @module
 */
import 'reflect-metadata';
import { SetMetadata } from './decorators/set-metadata';
import type { ClassOrMethodDecorator } from './decorators/class-or-method';
import type { ExecutionContext } from './interfaces/execution-context';

/** Where metadata can be read from: a context, a handler function or a class. */
export type MetadataTarget = ExecutionContext | object;

/** A decorator made by `Reflector.createDecorator()`, which is also its own key. */
export interface ReflectableDecorator<T> {
  (value: T): ClassOrMethodDecorator;
  readonly KEY: string;
}

let decoratorCount = 0;

/**
 * Injectable reader of custom metadata. From a context, `get` is a map lookup of data
 * read once at bootstrap; from `context.getHandler()` / `getClass()` (NestJS's way) it is
 * a `Reflect.getMetadata` call.
 *
 * @example
 * @Injectable()
 * class RolesGuard implements CanActivate {
 *   constructor(private readonly reflector: Reflector) {}
 *   canActivate(ctx: ExecutionContext) {
 *     const roles = this.reflector.getAllAndOverride<string[]>('roles', [ctx.getHandler(), ctx.getClass()]);
 *     return !roles || roles.includes(ctx.switchToWs().getClient<Socket>().data.role);
 *   }
 * }
 */
export class Reflector {
  /**
   * A typed decorator that is its own metadata key:
   * `const Roles = Reflector.createDecorator<string[]>()`, then `@Roles(['admin'])` and
   * `reflector.get(Roles, context.getHandler())`.
   */
  static createDecorator<T>(options: { key?: string } = {}): ReflectableDecorator<T> {
    const key = options.key ?? `wiregate:reflectable:${++decoratorCount}`;
    const decorator = (value: T): ClassOrMethodDecorator => SetMetadata(key, value);
    return Object.assign(decorator, { KEY: key });
  }

  /** From a context: the handler's value, else the class's (`undefined` if neither has one). */
  get<T = unknown>(key: unknown, target: ExecutionContext): T | undefined;
  /** From a handler function or a class: its own value (typed as NestJS types it; `undefined` if none). */
  get<T = unknown>(key: unknown, target: object): T;
  get<T = unknown>(key: unknown, target: MetadataTarget): T | undefined {
    const k = keyOf(key);
    if (isContext(target)) return target.getMetadata<T>(k);
    return Reflect.getMetadata(k, target) as T | undefined;
  }

  /** The value on each target, in order (`undefined` where there is none). */
  getAll<T = unknown>(key: unknown, targets: readonly MetadataTarget[]): (T | undefined)[] {
    return targets.map((target) => this.get<T>(key, target));
  }

  /** The first value found along `targets` (typically `[handler, class]`); `undefined` if none (typed as NestJS types it). */
  getAllAndOverride<T = unknown>(key: unknown, targets: readonly MetadataTarget[]): T {
    for (const target of targets) {
      const value = this.get<T>(key, target);
      if (value !== undefined) return value;
    }
    return undefined as T;
  }

  /** Every value along `targets`, merged: arrays concatenated, objects assigned. */
  getAllAndMerge<T = unknown>(key: unknown, targets: readonly MetadataTarget[]): T {
    const values = this.getAll<unknown>(key, targets).filter((v) => v !== undefined);
    if (values.length === 0) return undefined as T;
    if (values.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v)))
      return Object.assign({}, ...values) as T;
    return values.flatMap((v) => (Array.isArray(v) ? v : [v])) as T;
  }
}

function keyOf(key: unknown): unknown {
  return typeof key === 'function' && 'KEY' in key ? (key as { KEY: unknown }).KEY : key;
}

function isContext(target: MetadataTarget): target is ExecutionContext {
  return typeof (target as Partial<ExecutionContext>).getMetadata === 'function';
}

/**
 * `SetMetadata()`: custom data for guards and interceptors to read.
 * @module
 */
import 'reflect-metadata';
import { CUSTOM } from '../metadata/keys';
import { setMapEntry } from '../metadata/write';
import type { ClassOrMethodDecorator } from './class-or-method';

/**
 * Attaches `value` under `key` to a class or handler; read it with
 * `context.getMetadata(key)` or `Reflector#get` (handler value wins over class value).
 * The value is also defined on the class or the method function itself, where NestJS
 * code reads it: `reflector.get(key, context.getHandler())`.
 *
 * @example
 * export const Roles = (...roles: string[]) => SetMetadata('roles', roles);
 * @Roles('admin') @SubscribeMessage('ban') ban() {}
 */
export function SetMetadata<K = string, V = unknown>(key: K, value: V): ClassOrMethodDecorator {
  return ((target: object, method?: string | symbol, descriptor?: PropertyDescriptor) => {
    setMapEntry(CUSTOM, key, value, target, method);
    const holder: unknown = method === undefined ? target : descriptor?.value;
    if (typeof holder === 'function') Reflect.defineMetadata(key, value, holder);
  }) as ClassOrMethodDecorator;
}

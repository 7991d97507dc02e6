/**
 * `SetMetadata()`: custom data for guards and interceptors to read.
 * @module
 */
import { CUSTOM } from '../metadata/keys';
import { setMapEntry } from '../metadata/write';
import type { ClassOrMethodDecorator } from './class-or-method';

/**
 * Attaches `value` under `key` to a class or handler; read it with
 * `context.getMetadata(key)` or `Reflector#get` (handler value wins over class value).
 *
 * @example
 * export const Roles = (...roles: string[]) => SetMetadata('roles', roles);
 * @Roles('admin') @SubscribeMessage('ban') ban() {}
 */
export function SetMetadata<K = string, V = unknown>(key: K, value: V): ClassOrMethodDecorator {
  return ((target: object, method?: string | symbol) => {
    setMapEntry(CUSTOM, key, value, target, method);
  }) as ClassOrMethodDecorator;
}

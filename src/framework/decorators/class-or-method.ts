/**
 * Shared body of the decorators that work on a class and on a method.
 * @module
 */
import { prependMetadata } from '../metadata/write';

/** A decorator usable on a gateway class and on a handler method. */
export type ClassOrMethodDecorator = ClassDecorator & MethodDecorator;

/** Prepends `items` under `key` on the class or on the method it decorates. */
export function listDecorator(key: string, items: readonly unknown[]): ClassOrMethodDecorator {
  return ((target: object, method?: string | symbol) => {
    prependMetadata(key, items, target, method);
  }) as ClassOrMethodDecorator;
}

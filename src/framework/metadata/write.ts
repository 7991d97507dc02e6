/**
 * Write helpers for decorators: each decorator records plain data and nothing else.
 * Class-level data lives on the constructor, method-level data on (prototype, method).
 * @module
 */
import 'reflect-metadata';

type Target = object;

/** Records `value` under `key`, replacing what was there. */
export function setMetadata(
  key: string,
  value: unknown,
  target: Target,
  property?: string | symbol,
): void {
  if (property === undefined) Reflect.defineMetadata(key, value, target);
  else Reflect.defineMetadata(key, value, target, property);
}

/**
 * Adds `items` in front of the list already recorded under `key`. Decorators apply
 * bottom-up, so prepending keeps the list in source order (top decorator first).
 */
export function prependMetadata(
  key: string,
  items: readonly unknown[],
  target: Target,
  property?: string | symbol,
): void {
  const own = (
    property === undefined
      ? Reflect.getOwnMetadata(key, target)
      : Reflect.getOwnMetadata(key, target, property)
  ) as unknown[] | undefined;
  setMetadata(key, [...items, ...(own ?? [])], target, property);
}

/** Sets one entry in the map recorded under `key` (used by `SetMetadata`). */
export function setMapEntry(
  key: string,
  entryKey: unknown,
  value: unknown,
  target: Target,
  property?: string | symbol,
): void {
  const own = (
    property === undefined
      ? Reflect.getOwnMetadata(key, target)
      : Reflect.getOwnMetadata(key, target, property)
  ) as Map<unknown, unknown> | undefined;
  const next = new Map(own ?? []);
  // Decorators apply bottom-up, so for one key the top-most decorator (applied last) wins.
  next.set(entryKey, value);
  setMetadata(key, next, target, property);
}

/**
 * Payload keys that could reach an object's prototype through a naive copy.
 * @module
 */

/** Refused at any depth of a DTO payload; a DTO property with such a name never takes the fast path. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

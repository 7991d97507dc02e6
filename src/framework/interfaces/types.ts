/**
 * Small shared types of the framework's public API.
 * @module
 */

/** A class that can be constructed (by tsyringe or by hand). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Type<T = unknown> = new (...args: any[]) => T;

/** A provider given either as a class (resolved from the app's container) or as a ready instance. */
export type ClassOrInstance<T> = Type<T> | T;

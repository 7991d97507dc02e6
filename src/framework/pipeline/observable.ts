/**
 * Observables without a dependency on rxjs: results are recognised by shape, and rxjs is
 * loaded (lazily, once) only for apps whose interceptors receive Observables.
 * @module
 */
import { bootstrapError } from '../exceptions/bootstrap-error';

/** The part of an Observable the framework uses. */
export interface ObservableLike<T = unknown> {
  subscribe(observer: {
    next: (value: T) => void;
    error: (err: unknown) => void;
    complete: () => void;
  }): unknown;
}

/** What an rxjs subscriber offers the producer. */
interface Subscriber {
  next(value: unknown): void;
  error(err: unknown): void;
  complete(): void;
}

/** The rxjs parts `next.handle()` needs. */
export interface Rx {
  Observable: new (subscribe: (subscriber: Subscriber) => unknown) => ObservableLike & object;
  lastValueFrom(source: ObservableLike, config: { defaultValue: undefined }): Promise<unknown>;
}

/** True for an rxjs (or any interop) Observable: it has `subscribe` and an observable symbol or `pipe`. */
export function isObservable(value: unknown): value is ObservableLike {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Record<string | symbol, unknown>;
  if (typeof candidate.subscribe !== 'function') return false;
  const symbol = (Symbol as { observable?: symbol }).observable ?? '@@observable';
  return typeof candidate[symbol] === 'function' || typeof candidate.pipe === 'function';
}

/**
 * Subscribes; `onValue` gets every value. Resolves when the Observable completes,
 * rejects with its error.
 */
export function drain(source: ObservableLike, onValue: (value: unknown) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    source.subscribe({
      next: (value) => {
        try {
          onValue(value);
        } catch (err) {
          reject(err);
        }
      },
      error: reject,
      complete: () => resolve(),
    });
  });
}

let rx: Rx | null = null;

/**
 * rxjs, loaded on first need (never for an app without interceptors).
 * @throws WiregateError `WG_ERR_BOOTSTRAP` when it is not installed.
 */
export function loadRxjs(where: string): Rx {
  if (rx !== null) return rx;
  try {
    // Lazy on purpose: rxjs is an optional peer dependency.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    rx = require('rxjs') as Rx;
  } catch (err) {
    throw bootstrapError(
      `${where} has interceptors, whose next.handle() returns an Observable (as in NestJS), but rxjs is not installed. Install rxjs, or use createApp({ callHandler: 'value' })`,
      err,
    );
  }
  return rx;
}

/**
 * The rest of the chain as an rxjs Observable that can also be awaited (resolving with
 * its last value), so interceptors written for NestJS (`next.handle().pipe(…)`) and
 * interceptors that `await next.handle()` both work.
 */
export function toHandled(value: unknown, lib: Rx): ObservableLike {
  const source = new lib.Observable((subscriber) => {
    if (isObservable(value)) return value.subscribe(subscriber);
    if (value !== null && typeof (value as PromiseLike<unknown>)?.then === 'function') {
      (value as PromiseLike<unknown>).then(
        (v) => {
          subscriber.next(v);
          subscriber.complete();
        },
        (err: unknown) => subscriber.error(err),
      );
      return undefined;
    }
    subscriber.next(value);
    subscriber.complete();
    return undefined;
  });
  return Object.defineProperty(source, 'then', {
    configurable: true,
    value: (
      onFulfilled?: (v: unknown) => unknown,
      onRejected?: (e: unknown) => unknown,
    ): Promise<unknown> =>
      lib.lastValueFrom(source, { defaultValue: undefined }).then(onFulfilled, onRejected),
  });
}

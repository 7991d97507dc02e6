/**
 * Runs a guard list, staying synchronous while every guard answers synchronously.
 * @module
 */
import { WsForbiddenException } from '../exceptions/forbidden-exception';
import type { CanActivate } from '../interfaces/guard';
import type { WsContext } from './context';
import { isObservable, type ObservableLike } from './observable';
import { isThenable } from './thenable';

/** The first value of `source` (false if it completes without one). */
function firstValue(source: ObservableLike): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let done = false;
    source.subscribe({
      next: (value) => {
        if (!done) resolve(value);
        done = true;
      },
      error: reject,
      complete: () => resolve(false),
    });
  });
}

/**
 * Returns `true` when every guard allows, a promise of `true` as soon as one guard is
 * async, and throws (or rejects with) `WsForbiddenException` when one refuses.
 */
export function runGuards(
  ctx: WsContext,
  guards: readonly CanActivate[],
  from: number,
): true | Promise<true> {
  for (let i = from; i < guards.length; i++) {
    let allowed: unknown = guards[i].canActivate(ctx);
    // NestJS guards may answer with an Observable: its first value decides.
    if (isObservable(allowed)) allowed = firstValue(allowed);
    if (isThenable(allowed))
      return Promise.resolve(allowed).then((ok) => continueGuards(ctx, guards, i + 1, ok));
    if (!allowed) throw new WsForbiddenException();
  }
  return true;
}

function continueGuards(
  ctx: WsContext,
  guards: readonly CanActivate[],
  next: number,
  ok: unknown,
): true | Promise<true> {
  if (!ok) throw new WsForbiddenException();
  return runGuards(ctx, guards, next);
}

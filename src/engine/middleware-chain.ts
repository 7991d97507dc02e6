/**
 * The steps every request under the path goes through before routing: the Engine.IO
 * middlewares (`io.engine.use`, CORS first) and, for a new session, `allowRequest`.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EngineOptions } from './options';

/** An Engine.IO-level middleware (Express-compatible signature). */
export type EngineMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * Runs the middlewares in order; `done()` after the last, or `done(err)` at the first that
 * fails or throws. A middleware that never calls `next` leaves the request to itself.
 */
export function runMiddlewares(
  list: readonly EngineMiddleware[],
  req: IncomingMessage,
  res: ServerResponse,
  done: (err?: unknown) => void,
): void {
  if (list.length === 0) return done();
  let i = 0;
  let finished = false;
  const next = (err?: unknown): void => {
    if (finished) return;
    if (err !== undefined && err !== null) {
      finished = true;
      return done(err);
    }
    const middleware = list[i++];
    if (!middleware) {
      finished = true;
      return done();
    }
    try {
      middleware(req, res, next);
    } catch (error) {
      next(error ?? new Error('middleware threw'));
    }
  };
  next();
}

/** Resolves to true when `allowRequest` accepts the new session, else to its message ('' for none). */
export function askAllowRequest(check: EngineOptions['allowRequest'] | null, req: IncomingMessage): Promise<true | string> {
  if (!check) return Promise.resolve(true);
  return new Promise((resolve) => {
    try {
      check(req, (err, success) => resolve(success ? true : (err ?? '')));
    } catch {
      resolve('');
    }
  });
}

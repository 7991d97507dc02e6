/**
 * CORS for the Engine.IO endpoint and the client bundle: the `cors` option, with the
 * option names and header behaviour of the `cors` package (docs/internals/wire-protocol.md, "Options and defaults").
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What an origin rule resolves to: `*`, one origin, a list, a RegExp, or allow/deny. */
export type CorsOriginValue = boolean | string | RegExp | (string | RegExp)[];

/** An origin rule: a value, or a function deciding per request origin. */
export type CorsOrigin =
  | CorsOriginValue
  | ((origin: string | undefined, callback: (err: Error | null, origin?: CorsOriginValue) => void) => void);

/** CORS options, named as in the `cors` package. */
export interface CorsOptions {
  /** Allowed origins. Default `*`. A function calling back `false` skips CORS for that request. */
  origin?: CorsOrigin;
  /** Methods announced on preflight. Default `GET,HEAD,PUT,PATCH,POST,DELETE`. */
  methods?: string | string[];
  /** Request headers allowed on preflight; default: whatever the preflight asked for. */
  allowedHeaders?: string | string[];
  /** Response headers exposed to the page. */
  exposedHeaders?: string | string[];
  /** Send `Access-Control-Allow-Credentials: true`. */
  credentials?: boolean;
  /** Seconds a preflight may be cached. */
  maxAge?: number;
  /** Pass preflight requests on instead of answering them. */
  preflightContinue?: boolean;
  /** Status of an answered preflight. Default 204. */
  optionsSuccessStatus?: number;
}

/** Per-request CORS options. */
export type CorsOptionsDelegate = (
  req: IncomingMessage,
  callback: (err: Error | null, options?: CorsOptions) => void,
) => void;

type Next = (err?: unknown) => void;

const DEFAULT_METHODS = 'GET,HEAD,PUT,PATCH,POST,DELETE';

/**
 * Builds the CORS middleware. A rejected origin gets no `Access-Control-Allow-Origin`
 * (the browser then refuses the response); an error from an origin function or a
 * delegate is passed to `next` (the engine answers 400 code 3).
 */
export function createCorsMiddleware(
  option: CorsOptions | CorsOptionsDelegate,
): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  return (req, res, next) => {
    if (typeof option !== 'function') return resolveOrigin(option, req, res, next);
    option(req, (err, options) => {
      if (err) next(err);
      else resolveOrigin(options ?? {}, req, res, next);
    });
  };
}

function resolveOrigin(options: CorsOptions, req: IncomingMessage, res: ServerResponse, next: Next): void {
  const origin = options.origin ?? '*';
  if (typeof origin !== 'function') {
    if (origin === false) return next();
    return applyCors(options, origin, req, res, next);
  }
  origin(req.headers.origin, (err, value) => {
    if (err) next(err);
    else if (!value) next();
    else applyCors(options, value, req, res, next);
  });
}

function applyCors(options: CorsOptions, allowed: CorsOriginValue, req: IncomingMessage, res: ServerResponse, next: Next): void {
  setAllowOrigin(res, allowed, req.headers.origin);
  if (options.credentials === true) res.setHeader('Access-Control-Allow-Credentials', 'true');
  if (options.exposedHeaders !== undefined) setList(res, 'Access-Control-Expose-Headers', options.exposedHeaders);
  if (req.method !== 'OPTIONS') return next();
  setList(res, 'Access-Control-Allow-Methods', options.methods ?? DEFAULT_METHODS);
  if (options.allowedHeaders !== undefined) {
    setList(res, 'Access-Control-Allow-Headers', options.allowedHeaders);
  } else {
    const requested = req.headers['access-control-request-headers'];
    appendVary(res, 'Access-Control-Request-Headers');
    if (requested) res.setHeader('Access-Control-Allow-Headers', requested);
  }
  if (options.maxAge !== undefined) res.setHeader('Access-Control-Max-Age', String(options.maxAge));
  if (options.preflightContinue === true) return next();
  res.statusCode = options.optionsSuccessStatus ?? 204;
  res.setHeader('Content-Length', '0');
  res.end();
}

function setAllowOrigin(res: ServerResponse, allowed: CorsOriginValue, requestOrigin: string | undefined): void {
  if (allowed === '*') {
    res.setHeader('Access-Control-Allow-Origin', '*');
    return;
  }
  // Any answer that depends on the request's Origin must not be cached for another origin.
  appendVary(res, 'Origin');
  if (typeof allowed === 'string') {
    res.setHeader('Access-Control-Allow-Origin', allowed);
  } else if (requestOrigin !== undefined && isOriginAllowed(requestOrigin, allowed)) {
    res.setHeader('Access-Control-Allow-Origin', requestOrigin);
  }
}

/** Whether `origin` matches a rule (`true` reflects any origin). */
export function isOriginAllowed(origin: string, allowed: CorsOriginValue): boolean {
  if (Array.isArray(allowed)) return allowed.some((rule) => isOriginAllowed(origin, rule));
  if (typeof allowed === 'string') return origin === allowed;
  if (allowed instanceof RegExp) {
    allowed.lastIndex = 0;
    return allowed.test(origin);
  }
  return allowed;
}

function setList(res: ServerResponse, name: string, value: string | string[]): void {
  const text = Array.isArray(value) ? value.join(',') : value;
  if (text.length > 0) res.setHeader(name, text);
}

function appendVary(res: ServerResponse, field: string): void {
  const current = res.getHeader('Vary');
  if (current === undefined) {
    res.setHeader('Vary', field);
    return;
  }
  const text = Array.isArray(current) ? current.join(', ') : String(current);
  const fields = text.split(',').map((f) => f.trim().toLowerCase());
  if (!fields.includes('*') && !fields.includes(field.toLowerCase())) res.setHeader('Vary', `${text}, ${field}`);
}

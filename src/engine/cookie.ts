/**
 * The session cookie of the `cookie` option (docs/internals/wire-protocol.md, "Opening a session"), serialised by hand.
 * @module
 */
import type { ResolvedEngineOptions } from './options';

/** `io=<sid>; Path=/; HttpOnly; SameSite=Lax` with the configured attributes. */
export function serializeCookie(cookie: Exclude<ResolvedEngineOptions['cookie'], false>, sid: string): string {
  let out = `${cookie.name}=${encodeURIComponent(sid)}`;
  if (cookie.maxAge !== undefined) out += `; Max-Age=${Math.floor(cookie.maxAge)}`;
  if (cookie.domain) out += `; Domain=${cookie.domain}`;
  if (cookie.path) out += `; Path=${cookie.path}`;
  if (cookie.expires) out += `; Expires=${cookie.expires.toUTCString()}`;
  if (cookie.httpOnly) out += '; HttpOnly';
  if (cookie.secure) out += '; Secure';
  if (cookie.partitioned) out += '; Partitioned';
  if (cookie.sameSite) out += `; SameSite=${sameSiteValue(cookie.sameSite)}`;
  return out;
}

function sameSiteValue(value: true | 'lax' | 'strict' | 'none'): string {
  if (value === true) return 'Strict';
  return value.charAt(0).toUpperCase() + value.slice(1).toLowerCase();
}

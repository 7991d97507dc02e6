/**
 * Which Engine.IO revision a request speaks, and what a v3 client asked for in its handshake
 * (docs/internals/engine-io-v3.md).
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { EngineProtocol } from '../session';

/** Like the reference server: `EIO=4` is v4, anything else (missing, `3`, garbage) is v3. */
export function protocolOf(eio: string | undefined): EngineProtocol {
  return eio === '4' ? 4 : 3;
}

/**
 * Whether a v3 client takes binary packets as binary: one that cannot (old browsers, or
 * `forceBase64`) puts a non-empty `b64` in its handshake query and gets base64 text instead.
 */
export function clientTakesBinary(req: IncomingMessage): boolean {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  if (q === -1) return true;
  return !new URLSearchParams(url.slice(q + 1)).get('b64');
}

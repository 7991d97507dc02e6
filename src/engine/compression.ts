/**
 * HTTP body compression: `Accept-Encoding` negotiation and the zlib call
 * (polling responses per `httpCompression`, the client bundle per docs/internals/wire-protocol.md, "Client bundle").
 * @module
 */
import { brotliCompress, deflate, gzip } from 'node:zlib';

/** Content codings the engine can produce. */
export type ContentEncoding = 'br' | 'gzip' | 'deflate';

/**
 * Picks the coding to use: the highest `q` among `supported`, ties broken by the order of
 * `supported`; `*` matches any coding not named. Null means send the body as is.
 */
export function negotiateEncoding(header: string | string[] | undefined, supported: readonly ContentEncoding[]): ContentEncoding | null {
  if (header === undefined) return null;
  const weights = parseAcceptEncoding(Array.isArray(header) ? header.join(',') : header);
  let best: ContentEncoding | null = null;
  let bestQ = 0;
  for (const coding of supported) {
    const q = weights.get(coding) ?? weights.get('*') ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}

const MAX_CODINGS = 32;

function parseAcceptEncoding(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  const parts = header.split(',', MAX_CODINGS);
  for (const part of parts) {
    const [name, ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (coding.length === 0) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key.trim().toLowerCase() === 'q') q = Number(value);
    }
    weights.set(coding, Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0);
  }
  return weights;
}

/** Compresses a body with the given coding. */
export function compressBody(body: Buffer, encoding: ContentEncoding, callback: (err: Error | null, out: Buffer) => void): void {
  if (encoding === 'gzip') gzip(body, callback);
  else if (encoding === 'deflate') deflate(body, callback);
  else brotliCompress(body, callback);
}

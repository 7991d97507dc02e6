/**
 * Serves the official browser client (`socket.io-client`'s `dist/`) under the endpoint
 * path when `serveClient` is on (docs/internals/wire-protocol.md, "Client bundle").
 * @module
 */
import { readFile, readFileSync } from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { compressBody, negotiateEncoding, type ContentEncoding } from './compression';

/** The only files served; any other name under the path goes to the engine. */
const FILES = new Set(
  ['socket.io.js', 'socket.io.min.js', 'socket.io.msgpack.min.js', 'socket.io.esm.min.js'].flatMap((f) => [f, f + '.map']),
);

const BUNDLE_ENCODINGS: readonly ContentEncoding[] = ['br', 'gzip', 'deflate'];

interface PackageLocation {
  dist: string;
  etag: string;
}

/** The served files, read and compressed once each, on first request. */
export class ClientBundle {
  private location: PackageLocation | null | undefined = undefined;
  private readonly cache = new Map<string, Promise<Buffer | null>>();

  /** The file name a URL asks for under `path`, or null when it is not a bundle file. */
  static fileFor(url: string, path: string): string | null {
    if (!url.startsWith(path + '/')) return null;
    const q = url.indexOf('?');
    const file = url.slice(path.length + 1, q === -1 ? undefined : q);
    return FILES.has(file) ? file : null;
  }

  /** Whether `socket.io-client` is installed, so that the files can be served. */
  get isAvailable(): boolean {
    return this.locate() !== null;
  }

  /** Answers a GET/HEAD for `file` (200, or 304 when the ETag matches). */
  serve(req: IncomingMessage, res: ServerResponse, file: string): void {
    const location = this.locate()!;
    const headers: OutgoingHttpHeaders = {
      'Content-Type': file.endsWith('.map') ? 'application/json; charset=utf-8' : 'application/javascript; charset=utf-8',
      ETag: location.etag,
      'Cache-Control': 'public, max-age=0',
      Vary: 'Accept-Encoding',
    };
    if (matchesEtag(req.headers['if-none-match'], location.etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const encoding = negotiateEncoding(req.headers['accept-encoding'], BUNDLE_ENCODINGS);
    void this.load(location, file, encoding).then((body) => {
      // load() never rejects: a read failure resolves to null.
      if (res.headersSent || res.destroyed) return;
      if (body === null) {
        res.writeHead(500);
        res.end();
        return;
      }
      if (encoding !== null) headers['Content-Encoding'] = encoding;
      headers['Content-Length'] = body.length;
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  }

  private locate(): PackageLocation | null {
    if (this.location !== undefined) return this.location;
    try {
      const pkgFile = require.resolve('socket.io-client/package.json');
      const version = (JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string }).version;
      this.location = { dist: join(dirname(pkgFile), 'dist'), etag: `"${version}"` };
    } catch {
      this.location = null;
    }
    return this.location;
  }

  private load(location: PackageLocation, file: string, encoding: ContentEncoding | null): Promise<Buffer | null> {
    const key = `${file}:${encoding ?? 'identity'}`;
    let entry = this.cache.get(key);
    if (entry === undefined) {
      entry = encoding === null ? readBundleFile(join(location.dist, file)) : this.compressed(location, file, encoding);
      this.cache.set(key, entry);
      // A failed read is retried on the next request rather than cached.
      void entry.then((body) => body === null && this.cache.delete(key));
    }
    return entry;
  }

  private async compressed(location: PackageLocation, file: string, encoding: ContentEncoding): Promise<Buffer | null> {
    const raw = await this.load(location, file, null);
    if (raw === null) return null;
    return new Promise((resolve) => compressBody(raw, encoding, (err, out) => resolve(err ? null : out)));
  }
}

function readBundleFile(path: string): Promise<Buffer | null> {
  return new Promise((resolve) => readFile(path, (err, data) => resolve(err ? null : data)));
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === etag || t === 'W/' + etag || t === '*';
  });
}

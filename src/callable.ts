/**
 * The CommonJS entry of the package (`require('wiregate')`): socket.io's module is a function
 * (`require('socket.io')(httpServer, opts)`) that also carries the named exports, so this one
 * is too. TypeScript and ESM users import from the named exports (`src/index.ts`); this file
 * only makes the CommonJS value callable.
 * @module
 */
import type { Server as HttpServer } from 'node:http';
import * as wiregate from './index';

/** What `require('wiregate')` is: `new Server(...)` as a function, plus every named export. */
interface CallableWiregate {
  (opts?: wiregate.ServerOptions): wiregate.Server;
  (srv: HttpServer | number | string | undefined, opts?: wiregate.ServerOptions): wiregate.Server;
}

function createServer(
  srv?: HttpServer | number | string | wiregate.ServerOptions,
  opts?: wiregate.ServerOptions,
): wiregate.Server {
  // The Server constructor itself tells an options object from a server or a port.
  return new wiregate.Server(srv as HttpServer | number | string | undefined, opts);
}

// The named exports are copied as values: the CommonJS entry's properties are fixed once the
// module has loaded, so a snapshot is the same as live bindings here.
const entry: CallableWiregate & typeof wiregate = Object.assign(createServer, wiregate);

export = entry;

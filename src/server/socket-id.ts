/**
 * Socket ids: 15 random bytes (a CSPRNG) as 20 URL-safe characters, drawn from a pooled
 * buffer so that a connection does not cost a `randomBytes` call of its own
 * (docs/benchmarks.md, "Connection setup").
 * @module
 */
import { randomFillSync } from 'node:crypto';
import type { SocketId } from './adapter/adapter';

const ID_BYTES = 15;
/** 273 ids per refill: one system call for a few hundred connections. */
const POOL_SIZE = ID_BYTES * 273;

const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

/** Creates a Socket.IO socket id: 20 URL-safe characters, unguessable, never the engine session id. */
export function createSocketId(): SocketId {
  if (offset === POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id;
}

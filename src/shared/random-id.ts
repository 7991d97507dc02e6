/**
 * Random ids (engine session ids, Socket.IO socket ids): 15 CSPRNG bytes as 20 URL-safe
 * characters, drawn from a pooled buffer so that a connection does not cost a
 * `randomBytes` call of its own (docs/benchmarks.md, finding 3).
 * @module
 */
import { randomFillSync } from 'node:crypto';

const ID_BYTES = 15;
/** 273 ids per refill: one system call for a few hundred ids. */
const POOL_SIZE = ID_BYTES * 273;

const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

/** Creates an unguessable id: 20 URL-safe characters. */
export function createRandomId(): string {
  if (offset === POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id;
}

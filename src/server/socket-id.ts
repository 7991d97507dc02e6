/**
 * Socket ids: drawn from the same pooled random source as engine session ids
 * (shared/random-id.ts), and never equal to the session id.
 * @module
 */
import { createRandomId } from '../shared/random-id';
import type { SocketId } from './adapter/adapter';

/** Creates a Socket.IO socket id: 20 URL-safe characters, unguessable, never the engine session id. */
export function createSocketId(): SocketId {
  return createRandomId();
}

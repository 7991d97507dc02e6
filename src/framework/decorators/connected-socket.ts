/**
 * `@ConnectedSocket()`: injects the sender's socket.
 * @module
 */
import { recordParam } from './param-kinds';

/**
 * Injects the server-side socket that sent the message.
 *
 * @example
 * whoami(@ConnectedSocket() socket: Socket) { return socket.id; }
 */
export function ConnectedSocket(): ParameterDecorator {
  return (target, method, index) => recordParam(target, method, { index, kind: 'socket' });
}

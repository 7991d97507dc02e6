/**
 * `@WebSocketServer()`: injects the gateway's namespace (or the whole server).
 * @module
 */
import { SERVER_PROPERTIES } from '../metadata/keys';
import { prependMetadata } from '../metadata/write';

/**
 * Sets the property to the gateway's `Namespace`, or to the `Server` when the property
 * is declared with type `Server`. Set before `afterInit` runs.
 *
 * @example
 * @WebSocketServer() nsp!: Namespace;
 * @WebSocketServer() io!: Server;
 */
export function WebSocketServer(): PropertyDecorator {
  return (target, property) => prependMetadata(SERVER_PROPERTIES, [property], target);
}

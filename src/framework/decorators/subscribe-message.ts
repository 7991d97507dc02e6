/**
 * `@SubscribeMessage(event)`: makes a method the handler of one event.
 * @module
 */
import { MESSAGE_EVENTS } from '../metadata/keys';
import { prependMetadata } from '../metadata/write';

/**
 * Handles `event` in the gateway's namespace. The return value answers the client's
 * ack (see docs/handlers-and-replies.md).
 *
 * @example
 * @SubscribeMessage('echo')
 * echo(@MessageBody() body: unknown) { return body; }
 */
export function SubscribeMessage(event: string): MethodDecorator {
  return (target, method) => {
    prependMetadata(MESSAGE_EVENTS, [event], target, method);
  };
}

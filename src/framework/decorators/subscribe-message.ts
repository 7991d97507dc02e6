/**
 * `@SubscribeMessage(event)`: makes a method the handler of one event.
 * @module
 */
import { MESSAGE_EVENTS } from '../metadata/keys';
import { prependMetadata } from '../metadata/write';

/**
 * Handles `event` in the gateway's namespace. The return value answers the client's
 * ack (see docs/handlers-and-replies.md). Pass your client-to-server event map to have
 * the event name checked: `@SubscribeMessage<ClientEvents>('chat:send')`.
 *
 * @example
 * @SubscribeMessage('echo')
 * echo(@MessageBody() body: unknown) { return body; }
 */
export function SubscribeMessage<Events = Record<string, unknown>>(
  event: keyof Events & string,
): MethodDecorator {
  return (target, method) => {
    prependMetadata(MESSAGE_EVENTS, [event], target, method);
  };
}

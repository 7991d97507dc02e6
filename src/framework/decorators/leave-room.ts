/**
 * `@LeaveRoom()`: removes the sender from a room when a handler is called.
 * @module
 */
import { LEAVE_ROOMS } from '../metadata/keys';
import { prependMetadata } from '../metadata/write';
import type { RoomSpec } from './join-room';

/**
 * Leaves the room(s) after guards and validation pass, just before the handler runs.
 *
 * @example
 * @SubscribeMessage('room:leave')
 * @LeaveRoom((body: { roomId: string }) => `room:${body.roomId}`)
 * leave() {}
 */
export function LeaveRoom<B = any>(room: RoomSpec<B>): MethodDecorator { // eslint-disable-line @typescript-eslint/no-explicit-any
  return (target, method) => prependMetadata(LEAVE_ROOMS, [room], target, method);
}

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
// Defaults to `any` so that a function typed with a DTO parameter is accepted as it is.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function LeaveRoom<B = any>(room: RoomSpec<B>): MethodDecorator {
  return (target, method) => prependMetadata(LEAVE_ROOMS, [room], target, method);
}

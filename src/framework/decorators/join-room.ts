/**
 * `@JoinRoom()`: joins the sender to a room when a handler is called.
 * @module
 */
import type { Socket } from '../../server';
import { JOIN_ROOMS } from '../metadata/keys';
import { prependMetadata } from '../metadata/write';

/** A room name, or a function of the validated payload and the socket that returns room name(s). */
export type RoomSpec<B = any> = string | ((body: B, socket: Socket) => string | readonly string[]); // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Joins the room(s) after guards and validation pass, just before the handler runs.
 *
 * @example
 * @SubscribeMessage('room:join')
 * @JoinRoom((body: JoinRoomDto) => `room:${body.roomId}`)
 * join(@MessageBody() body: JoinRoomDto) {}
 */
// Defaults to `any` so that a function typed with a DTO parameter is accepted as it is.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function JoinRoom<B = any>(room: RoomSpec<B>): MethodDecorator {
  return (target, method) => prependMetadata(JOIN_ROOMS, [room], target, method);
}

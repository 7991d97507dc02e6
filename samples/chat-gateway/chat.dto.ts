/**
 * Payloads of the chat events, validated before the handlers run.
 * @module
 */
import { IsBoolean, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

const ROOM = /^[a-z0-9-]{1,32}$/;
const ROOM_MESSAGE = { message: 'room must be 1 to 32 lower-case letters, digits or dashes' };

/** `join`, `leave`: `{ room: 'lobby' }` */
export class RoomDto {
  @Matches(ROOM, ROOM_MESSAGE)
  room!: string;
}

/** `message`: `{ room: 'lobby', text: 'hello' }` */
export class MessageDto {
  @Matches(ROOM, ROOM_MESSAGE)
  room!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  text!: string;
}

/** `typing`: `{ room: 'lobby', typing: true }` */
export class TypingDto {
  @Matches(ROOM, ROOM_MESSAGE)
  room!: string;

  @IsBoolean()
  typing!: boolean;
}

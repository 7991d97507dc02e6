/**
 * Payloads of the chat events, validated before the handlers run.
 * @module
 */
import { IsBoolean, IsOptional, IsString, Matches, MaxLength, ValidateBy } from 'class-validator';

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
  @Matches(/\S/, { message: 'text must not be blank' })
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

/** Largest image accepted, in bytes. */
export const MAX_IMAGE_BYTES = 512 * 1024;

/** A binary attachment of `min` to `max` bytes (socket.io hands binary over as a Buffer). */
function HasBytes(min: number, max: number): PropertyDecorator {
  return ValidateBy({
    name: 'hasBytes',
    constraints: [min, max],
    validator: {
      validate: (value: unknown) =>
        Buffer.isBuffer(value) && value.length >= min && value.length <= max,
      defaultMessage: () => `data must be binary, 1 byte to ${max / 1024} KiB`,
    },
  });
}

/** `image`: `{ room: 'lobby', type: 'image/png', data: <binary> }` */
export class ImageDto {
  @Matches(ROOM, ROOM_MESSAGE)
  room!: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;

  @HasBytes(1, MAX_IMAGE_BYTES)
  data!: Buffer;
}

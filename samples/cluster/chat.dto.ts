/**
 * Payloads of the cluster chat, validated before the handlers run.
 * @module
 */
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

/** `{ room: 'lobby' }` */
export class JoinDto {
  @Matches(/^[a-z0-9-]{1,32}$/, {
    message: 'room must be 1 to 32 lower-case letters, digits or dashes',
  })
  room!: string;
}

/** `{ room: 'lobby', text: 'hello' }` */
export class MessageDto {
  @Matches(/^[a-z0-9-]{1,32}$/, {
    message: 'room must be 1 to 32 lower-case letters, digits or dashes',
  })
  room!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  text!: string;
}

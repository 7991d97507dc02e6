/**
 * The DTO every gateway validates (wiregate and NestJS alike).
 * @module
 */
import { IsInt, IsString, MaxLength } from 'class-validator';

export class EchoDto {
  @IsString()
  @MaxLength(500)
  text!: string;

  @IsInt()
  n!: number;
}

/**
 * Template of `wiregate generate dto`: a class-validator DTO for a message payload.
 * @module
 */
import type { Names } from '../names';

/** `<name>.dto.ts` */
export function dtoTemplate(names: Names): string {
  return `import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * A message payload. Type a handler parameter with it (\`@MessageBody() body: ${names.pascal}Dto\`)
 * and wiregate validates the payload before the handler runs.
 */
export class ${names.pascal}Dto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsOptional()
  @IsString()
  description?: string;
}
`;
}

/**
 * `ParseBoolPipe`: turns a body value into a boolean.
 * @module
 */
import type { ArgumentMetadata, PipeTransform } from '../interfaces/pipe';
import { badValue } from './bad-value';

/**
 * Accepts `true`/`false` and the strings `"true"`/`"false"`; anything else is `WG_ERR_BAD_REQUEST`.
 *
 * @example
 * mute(@MessageBody('on', ParseBoolPipe) on: boolean) {}
 */
export class ParseBoolPipe implements PipeTransform<unknown, boolean> {
  transform(value: unknown, meta: ArgumentMetadata): boolean {
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw badValue('a boolean', meta);
  }
}

/**
 * `ParseIntPipe`: turns a body value into an integer.
 * @module
 */
import type { ArgumentMetadata, PipeTransform } from '../interfaces/pipe';
import { badValue } from './bad-value';

/**
 * Accepts integers and integer strings (`"42"`); anything else is `WG_ERR_BAD_REQUEST`.
 *
 * @example
 * limit(@MessageBody('limit', ParseIntPipe) limit: number) {}
 */
export class ParseIntPipe implements PipeTransform<unknown, number> {
  transform(value: unknown, meta: ArgumentMetadata): number {
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number.parseInt(value, 10);
    throw badValue('an integer', meta);
  }
}

/**
 * `ParseFloatPipe`: turns a body value into a finite number.
 * @module
 */
import type { ArgumentMetadata, PipeTransform } from '../interfaces/pipe';
import { badValue } from './bad-value';

/**
 * Accepts finite numbers and numeric strings; anything else is `WG_ERR_BAD_REQUEST`.
 *
 * @example
 * move(@MessageBody('x', ParseFloatPipe) x: number) {}
 */
export class ParseFloatPipe implements PipeTransform<unknown, number> {
  transform(value: unknown, meta: ArgumentMetadata): number {
    const n =
      typeof value === 'number'
        ? value
        : typeof value === 'string' && value.trim() !== ''
          ? Number(value)
          : NaN;
    if (Number.isFinite(n)) return n;
    throw badValue('a number', meta);
  }
}

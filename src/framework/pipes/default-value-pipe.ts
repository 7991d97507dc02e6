/**
 * `DefaultValuePipe`: replaces a missing value.
 * @module
 */
import type { PipeTransform } from '../interfaces/pipe';

/**
 * Replaces `undefined` and `null` with `fallback`; put it before parse pipes.
 *
 * @example
 * list(@MessageBody('limit', new DefaultValuePipe(20), ParseIntPipe) limit: number) {}
 */
export class DefaultValuePipe<T> implements PipeTransform<unknown, unknown> {
  constructor(private readonly fallback: T) {}

  transform(value: unknown): unknown {
    return value === undefined || value === null ? this.fallback : value;
  }
}

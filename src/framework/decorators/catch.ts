/**
 * `@Catch()`: the error types an exception filter handles.
 * @module
 */
import type { Type } from '../interfaces/types';
import { CATCH_TYPES } from '../metadata/keys';
import { setMetadata } from '../metadata/write';

/**
 * Limits a filter to errors that are `instanceof` one of `types`. Without `@Catch`
 * (or with no types) a filter handles every error.
 *
 * @example
 * @Catch(QuotaError)
 * class QuotaFilter implements ExceptionFilter<QuotaError> {}
 */
export function Catch(...types: Type<unknown>[]): ClassDecorator {
  return (target) => setMetadata(CATCH_TYPES, types, target);
}

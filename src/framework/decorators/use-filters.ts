/**
 * `@UseFilters()`: exception filters for a gateway or one handler.
 * @module
 */
import type { ExceptionFilter } from '../interfaces/exception-filter';
import type { ClassOrInstance } from '../interfaces/types';
import { FILTERS } from '../metadata/keys';
import { listDecorator, type ClassOrMethodDecorator } from './class-or-method';

/**
 * Exception filters, tried method first, then class, then app-wide; the first whose
 * `@Catch()` types match the error handles it.
 *
 * @example
 * @UseFilters(QuotaFilter)
 * @WebSocketGateway()
 * class UploadGateway {}
 */
export function UseFilters(...filters: ClassOrInstance<ExceptionFilter>[]): ClassOrMethodDecorator {
  return listDecorator(FILTERS, filters);
}

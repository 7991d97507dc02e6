/**
 * `@UseInterceptors()`: interceptors around a gateway's handlers or one handler.
 * @module
 */
import type { Interceptor } from '../interfaces/interceptor';
import type { ClassOrInstance } from '../interfaces/types';
import { INTERCEPTORS } from '../metadata/keys';
import { listDecorator, type ClassOrMethodDecorator } from './class-or-method';

/**
 * Wraps handlers; the first listed is the outermost.
 *
 * @example
 * @UseInterceptors(TimingInterceptor)
 * @SubscribeMessage('search')
 * search(@MessageBody() q: string) {}
 */
export function UseInterceptors(
  ...interceptors: ClassOrInstance<Interceptor>[]
): ClassOrMethodDecorator {
  return listDecorator(INTERCEPTORS, interceptors);
}

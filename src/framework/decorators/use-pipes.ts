/**
 * `@UsePipes()`: pipes for every `@MessageBody()` of a gateway or handler.
 * @module
 */
import type { PipeTransform } from '../interfaces/pipe';
import type { ClassOrInstance } from '../interfaces/types';
import { PIPES } from '../metadata/keys';
import { listDecorator, type ClassOrMethodDecorator } from './class-or-method';

/**
 * Runs pipes on every `@MessageBody()` parameter, after validation and before the
 * parameter's own pipes.
 *
 * @example
 * @UsePipes(TrimStringsPipe)
 * @SubscribeMessage('say')
 * say(@MessageBody() text: string) {}
 */
export function UsePipes(...pipes: ClassOrInstance<PipeTransform>[]): ClassOrMethodDecorator {
  return listDecorator(PIPES, pipes);
}

/**
 * `@MessageBody()`: injects the message payload (the client's first argument).
 * @module
 */
import type { PipeTransform } from '../interfaces/pipe';
import type { ClassOrInstance } from '../interfaces/types';
import { recordParam } from './param-kinds';

/**
 * Injects the payload, or one of its own properties, after validation (when the
 * parameter is typed with a class) and the given pipes.
 *
 * @example
 * join(@MessageBody() body: JoinRoomDto) {}
 * setLimit(@MessageBody('limit', ParseIntPipe) limit: number) {}
 */
export function MessageBody(
  propertyOrPipe?: string | ClassOrInstance<PipeTransform>,
  ...pipes: ClassOrInstance<PipeTransform>[]
): ParameterDecorator {
  const property = typeof propertyOrPipe === 'string' ? propertyOrPipe : undefined;
  const all =
    propertyOrPipe === undefined || typeof propertyOrPipe === 'string'
      ? pipes
      : [propertyOrPipe, ...pipes];
  return (target, method, index) =>
    recordParam(target, method, { index, kind: 'body', property, pipes: all });
}

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
export function MessageBody(...pipes: ClassOrInstance<PipeTransform>[]): ParameterDecorator;
export function MessageBody(
  property: string,
  ...pipes: ClassOrInstance<PipeTransform>[]
): ParameterDecorator;
export function MessageBody(property: string, options: MessageBodyOptions): ParameterDecorator;
export function MessageBody(options: MessageBodyOptions): ParameterDecorator;
export function MessageBody(...args: unknown[]): ParameterDecorator {
  const property = typeof args[0] === 'string' ? args[0] : undefined;
  const rest = property === undefined ? args : args.slice(1);
  const pipes =
    rest.length === 1 && isOptions(rest[0])
      ? (rest[0].pipes ?? [])
      : (rest as ClassOrInstance<PipeTransform>[]);
  return (target, method, index) =>
    recordParam(target, method, { index, kind: 'body', property, pipes: [...pipes] });
}

/** NestJS 12's options form: `@MessageBody({ pipes: [ParseIntPipe] })`. */
export interface MessageBodyOptions {
  pipes?: ClassOrInstance<PipeTransform>[];
}

/** Options, not a pipe: an object that is no pipe instance (no `transform`) and no class. */
function isOptions(value: unknown): value is MessageBodyOptions {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { transform?: unknown }).transform !== 'function'
  );
}

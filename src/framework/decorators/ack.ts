/**
 * `@Ack()`: injects the raw ack callback.
 * @module
 */
import { recordParam } from './param-kinds';

/**
 * Injects the client's ack callback (or `undefined` when none was sent), for handlers
 * that answer later. When the handler calls it, the framework does not answer again.
 *
 * @example
 * slow(@Ack() ack: (reply: unknown) => void) { setTimeout(() => ack('done'), 10); }
 */
export function Ack(): ParameterDecorator {
  return (target, method, index) => recordParam(target, method, { index, kind: 'ack' });
}

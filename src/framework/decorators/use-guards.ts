/**
 * `@UseGuards()`: guards for a gateway or one handler.
 * @module
 */
import type { CanActivate } from '../interfaces/guard';
import type { ClassOrInstance } from '../interfaces/types';
import { GUARDS } from '../metadata/keys';
import { listDecorator, type ClassOrMethodDecorator } from './class-or-method';

/**
 * Runs guards in order before handlers. On a class they also run at connection time:
 * a refusal reaches the client as `connect_error` (docs/guards.md).
 *
 * @example
 * @UseGuards(SessionGuard)
 * @WebSocketGateway()
 * class ChatGateway {}
 */
export function UseGuards(...guards: ClassOrInstance<CanActivate>[]): ClassOrMethodDecorator {
  return listDecorator(GUARDS, guards);
}

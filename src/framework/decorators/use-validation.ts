/**
 * `@UseValidation()`: validation options for a gateway or one handler.
 * @module
 */
import { VALIDATION } from '../metadata/keys';
import { setMetadata } from '../metadata/write';
import type { ValidationSettings } from '../pipeline/validation';
import type { ClassOrMethodDecorator } from './class-or-method';

/**
 * Overrides the app's validation options (`createApp({ validation })`) for a class or
 * handler; `false` turns validation off there. Merged once at bootstrap.
 *
 * @example
 * @UseValidation({ forbidNonWhitelisted: false })
 * @SubscribeMessage('legacy')
 * legacy(@MessageBody() body: LegacyDto) {}
 */
export function UseValidation(options: ValidationSettings | false): ClassOrMethodDecorator {
  return ((target: object, method?: string | symbol) => {
    setMetadata(VALIDATION, options, target, method);
  }) as ClassOrMethodDecorator;
}

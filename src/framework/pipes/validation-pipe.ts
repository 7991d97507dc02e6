/**
 * `ValidationPipe`: NestJS's validation pipe, on wiregate's compiled validator.
 * @module
 */
import { instanceToPlain, type ClassTransformOptions } from 'class-transformer';
import type { ValidatorOptions } from 'class-validator';
import type { ArgumentMetadata, PipeTransform } from '../interfaces/pipe';
import type { Type } from '../interfaces/types';
import { compileValidator, isDto, type CompiledValidator } from '../pipeline/validation';

/** NestJS's `ValidationPipe` options that have a meaning here. */
export interface ValidationPipeOptions extends ValidatorOptions {
  /** Hand the handler the DTO instance (`true`), or a plain object of its validated properties (default). */
  transform?: boolean;
  /** class-transformer options for building the instance. */
  transformOptions?: ClassTransformOptions;
  /** Validate as this class instead of the parameter's declared type. */
  expectedType?: Type;
}

/**
 * Validates a DTO parameter with the options given, as NestJS's `ValidationPipe` does:
 * `@UsePipes(new ValidationPipe({ whitelist: true }))`. Where a handler has one (app-wide,
 * on the class, the method or the parameter), its options replace the built-in
 * validation for that handler. A failure answers `WG_ERR_VALIDATION` listing every
 * failing property (NestJS sends "Internal server error" for it over websockets).
 *
 * @example
 * @UsePipes(new ValidationPipe({ whitelist: true, transform: true }))
 * @SubscribeMessage('order')
 * order(@MessageBody() order: OrderDto) {}
 */
export class ValidationPipe implements PipeTransform {
  private readonly validators = new Map<Type, CompiledValidator>();
  private readonly returnInstance: boolean;
  private readonly expectedType: Type | undefined;
  private readonly settings: ValidatorOptions & { transform?: ClassTransformOptions };

  constructor(options: ValidationPipeOptions = {}) {
    const { transform, transformOptions, expectedType, ...validatorOptions } = options;
    this.returnInstance = transform === true;
    this.expectedType = expectedType;
    this.settings = {
      forbidUnknownValues: false,
      ...validatorOptions,
      transform: transformOptions,
    };
  }

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const metatype = this.expectedType ?? metadata.metatype;
    if (!isDto(metatype)) return value;
    let validator = this.validators.get(metatype);
    if (validator === undefined) {
      // Compiled once per DTO class, on its first message.
      validator = compileValidator(metatype, this.settings);
      this.validators.set(metatype, validator);
    }
    const result = validator(value);
    if (this.returnInstance) return result;
    // Without transform, NestJS hands over a plain object again (whitelisted keys only).
    return result !== null && typeof (result as PromiseLike<unknown>).then === 'function'
      ? (result as PromiseLike<unknown>).then((instance) => instanceToPlain(instance))
      : instanceToPlain(result);
  }
}

/**
 * DTO validation with class-validator, compiled once per `@MessageBody()` parameter.
 * @module
 */
import { plainToInstance, type ClassTransformOptions } from 'class-transformer';
import {
  getMetadataStorage,
  validate,
  validateSync,
  type ValidationError,
  type ValidatorOptions,
} from 'class-validator';
import { WsValidationException, type ValidationIssue } from '../exceptions/ws-validation-exception';
import type { Type } from '../interfaces/types';
import { UNSAFE_KEYS } from './unsafe-keys';
import { compileFastPath } from './validation-fast-path';

/** Validation options: class-validator's, plus how the plain payload becomes an instance. */
export interface ValidationSettings extends ValidatorOptions {
  /** Options for class-transformer's `plainToInstance`. */
  transform?: ClassTransformOptions;
  /** Use class-validator's async `validate` (needed for async custom constraints). */
  async?: boolean;
}

/** Defaults: strip unknown properties and refuse payloads that carry any. */
export const DEFAULT_VALIDATION: ValidationSettings = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
};

/** A compiled validator: returns the validated instance, or a promise of it when async. */
export type CompiledValidator = (value: unknown) => unknown;

/** True when class-validator knows constraints for `metatype` (so the parameter is a DTO). */
export function isDto(metatype: unknown): metatype is Type {
  if (typeof metatype !== 'function') return false;
  return getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false).length > 0;
}

/** Builds the validator of one DTO parameter; all option merging happens here, once. */
export function compileValidator(metatype: Type, settings: ValidationSettings): CompiledValidator {
  const { transform, async: isAsync, ...validatorOptions } = settings;
  const transformOptions: ClassTransformOptions = { ...transform };
  const slow: CompiledValidator = (value) => {
    const unsafe = findUnsafeKeys(value);
    if (unsafe !== null) throw new WsValidationException(unsafe);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new WsValidationException([
        { property: '', constraints: { isObject: 'payload must be an object' } },
      ]);
    }
    const instance = plainToInstance(metatype, value, transformOptions) as object;
    if (isAsync === true)
      return validate(instance, validatorOptions).then((errors) => check(instance, errors));
    return check(instance, validateSync(instance, validatorOptions));
  };
  const fast = compileFastPath(metatype, validatorOptions, transformOptions, isAsync === true);
  if (fast === undefined) return slow;
  // Accepted payloads skip plainToInstance + validateSync; anything else (including every
  // rejected payload) runs the libraries, which produce the errors.
  const validator: CompiledValidator = (value) => fast(value) ?? slow(value);
  withFastPath.add(validator);
  return validator;
}

/** Compiled validators that try the fast path first (see {@link hasFastPath}). */
const withFastPath = new WeakSet<CompiledValidator>();

/**
 * Whether `validator` tries the compiled fast path before class-transformer and
 * class-validator (the DTO and the options qualify). For tests and diagnostics.
 * @internal
 */
export function hasFastPath(validator: CompiledValidator): boolean {
  return withFastPath.has(validator);
}

function check(instance: object, errors: ValidationError[]): object {
  if (errors.length === 0) return instance;
  const issues: ValidationIssue[] = [];
  for (const error of errors) collectIssues(error, '', issues);
  throw new WsValidationException(issues);
}

/** Flattens class-validator's tree so that every failing property is listed with its path. */
function collectIssues(error: ValidationError, parent: string, out: ValidationIssue[]): void {
  const path = parent === '' ? error.property : `${parent}.${error.property}`;
  if (error.constraints !== undefined)
    out.push({ property: path, constraints: { ...error.constraints } });
  if (error.children !== undefined)
    for (const child of error.children) collectIssues(child, path, out);
}

/** Lists every `__proto__`/`constructor`/`prototype` key in the payload, at any depth. */
function findUnsafeKeys(root: unknown): ValidationIssue[] | null {
  let issues: ValidationIssue[] | null = null;
  const stack: [unknown, string][] = [[root, '']];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    for (const key of Object.keys(value)) {
      const child = path === '' ? key : `${path}.${key}`;
      if (UNSAFE_KEYS.has(key)) {
        (issues ??= []).push({
          property: child,
          constraints: { unsafeKey: `property ${key} is not allowed` },
        });
      } else {
        stack.push([(value as Record<string, unknown>)[key], child]);
      }
    }
  }
  return issues;
}

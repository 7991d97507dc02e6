/**
 * A compiled "accept only" path for flat DTOs: builds and checks the instance the way
 * class-transformer's `plainToInstance` and class-validator's `validateSync` would, and
 * gives up (returns `undefined`) whenever it is not certain to reach their result. The
 * caller then runs the full libraries, which also produce every error message.
 * @module
 */
import { Exclude, TransformationType } from 'class-transformer';
import type { MetadataStorage as TransformerStorage } from 'class-transformer/types/MetadataStorage';
import {
  getMetadataStorage,
  ValidationTypes,
  type ValidationArguments,
  type ValidatorOptions,
} from 'class-validator';
import type { ClassTransformOptions } from 'class-transformer';
import type { Type } from '../interfaces/types';
import { UNSAFE_KEYS } from './unsafe-keys';

type ValidatorStorage = ReturnType<typeof getMetadataStorage>;
type ValidationMetadata = ReturnType<ValidatorStorage['getTargetValidationMetadatas']>[number];
type ConstraintMetadata = ReturnType<ValidatorStorage['getTargetValidatorConstraints']>[number];

/** Accepts a payload: the validated DTO instance, or `undefined` to run the full libraries. */
export type FastPath = (value: unknown) => object | undefined;

/** One decorator's checks: the metadata and the constraint classes class-validator runs for it. */
interface Check {
  metadata: ValidationMetadata;
  constraints: ConstraintMetadata[];
}

/** What class-validator runs for one property, split as its ValidationExecutor splits it. */
interface PropertyPlan {
  name: string;
  /** CONDITIONAL_VALIDATION (`@IsOptional`, `@ValidateIf`): `constraints[0](object, value)`. */
  conditions: ((object: object, value: unknown) => unknown)[];
  /** IS_DEFINED checks: they run even when `skipMissingProperties` skips the others. */
  defined: Check[];
  /** CUSTOM_VALIDATION checks: every built-in and user constraint. */
  custom: Check[];
}

/** Metadata types the fast path reproduces; any other (nested, promise) disqualifies the DTO. */
const SUPPORTED_TYPES = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.WHITELIST,
]);

/**
 * Builds the fast path of one DTO parameter, or returns `undefined` when the DTO or the
 * options use anything the fast path does not reproduce exactly (nested or promise
 * validation, `each`, async constraints, groups, class-transformer metadata or options).
 * @param metatype - the DTO class
 * @param validatorOptions - the options given to `validateSync`
 * @param transformOptions - the options given to `plainToInstance`
 * @param isAsync - whether the slow path uses class-validator's async `validate`
 */
export function compileFastPath(
  metatype: Type,
  validatorOptions: ValidatorOptions,
  transformOptions: ClassTransformOptions,
  isAsync: boolean,
): FastPath | undefined {
  const { groups, always, strictGroups } = validatorOptions;
  if (isAsync || groups !== undefined || always !== undefined || strictGroups !== undefined)
    return undefined;
  if (Object.keys(transformOptions).length > 0) return undefined;
  const prototype: unknown = metatype.prototype;
  // validateSync looks metadata up through `instance.constructor`.
  if (typeof prototype !== 'object' || prototype === null) return undefined;
  if ((prototype as { constructor?: unknown }).constructor !== metatype) return undefined;

  const storage = getMetadataStorage();
  // The same lookup ValidationExecutor.execute makes with these options: validateSync(object)
  // passes no schema name (undefined, though the typings say string), always and
  // strictGroups default to false, no groups.
  const noSchema = undefined as unknown as string;
  const metadatas = storage.getTargetValidationMetadatas(metatype, noSchema, false, false);
  // No metadata: forbidUnknownValues has its own error; leave that to class-validator.
  if (metadatas.length === 0) return undefined;
  const grouped = storage.groupByPropertyName(metadatas);
  // Object.keys of the grouped record: the order class-validator validates properties in.
  const names = Object.keys(grouped);

  const plans: PropertyPlan[] = [];
  for (const name of names) {
    // A name already on the prototype chain (a method, an accessor, `toString`...) is
    // skipped or mishandled by the libraries; an unsafe name is refused. Not reproduced.
    if (UNSAFE_KEYS.has(name) || name in prototype) return undefined;
    const plan = planProperty(name, grouped[name], storage);
    if (plan === undefined) return undefined;
    plans.push(plan);
  }
  if (hasTransformerMetadata(metatype, names)) return undefined;

  return buildFastPath(metatype, prototype, new Set(names), plans, validatorOptions);
}

function planProperty(
  name: string,
  metadatas: ValidationMetadata[],
  storage: ValidatorStorage,
): PropertyPlan | undefined {
  const plan: PropertyPlan = { name, conditions: [], defined: [], custom: [] };
  // Kept in registration order, which is the order class-validator runs them in.
  for (const metadata of metadatas) {
    if (!SUPPORTED_TYPES.has(metadata.type) || metadata.each) return undefined;
    if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      const condition: unknown = metadata.constraints?.[0];
      if (typeof condition !== 'function') return undefined;
      plan.conditions.push(condition as PropertyPlan['conditions'][number]);
    } else if (metadata.type !== ValidationTypes.WHITELIST) {
      const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
      // validateSync skips async constraints silently; keep that to the slow path.
      if (constraints.some((constraint) => constraint.async)) return undefined;
      const check: Check = { metadata, constraints };
      (metadata.type === ValidationTypes.IS_DEFINED ? plan.defined : plan.custom).push(check);
    }
  }
  return plan;
}

function buildFastPath(
  metatype: Type,
  prototype: object,
  allowed: Set<string>,
  plans: PropertyPlan[],
  options: ValidatorOptions,
): FastPath {
  const skipUndefined = options.skipUndefinedProperties === true;
  const skipNull = options.skipNullProperties === true;
  const skipMissing = options.skipMissingProperties === true;
  const targetName = metatype.name;

  /** class-validator's customValidations, reduced to "did every constraint return true". */
  const passes = (checks: Check[], object: object, value: unknown): boolean => {
    for (const { metadata, constraints } of checks) {
      if (metadata.validateIf !== undefined && !metadata.validateIf(object, value)) continue;
      for (const constraint of constraints) {
        // A fresh arguments object per call, as class-validator builds one per constraint.
        const args: ValidationArguments = {
          targetName,
          property: metadata.propertyName,
          object,
          value,
          constraints: metadata.constraints,
        };
        // `instance` is read per call as class-validator does: a user container decides.
        // Anything but `true` (false, a promise, a truthy non-boolean) goes to the slow path.
        if (constraint.instance.validate(value, args) !== true) return false;
      }
    }
    return true;
  };

  const accept = (payload: unknown): object | undefined => {
    if (payload === null || typeof payload !== 'object') return undefined;
    const payloadPrototype: unknown = Object.getPrototypeOf(payload);
    if (payloadPrototype !== Object.prototype && payloadPrototype !== null) return undefined;
    const plain = payload as Record<string, unknown>;
    const keys = Object.keys(plain);
    for (const key of keys) {
      // Only validated properties (this also keeps unsafe keys out), and only primitives:
      // plainToInstance deep-copies objects and arrays, which is not reproduced here.
      if (!allowed.has(key)) return undefined;
      const type = typeof plain[key];
      if (type !== 'string' && type !== 'number' && type !== 'boolean' && plain[key] !== null)
        return undefined;
    }

    // plainToInstance: `new Dto()`, then each payload key assigned as is (primitives go
    // through its transform unchanged), skipping keys whose current value is a function.
    const instance = new metatype() as Record<string, unknown>;
    if (Object.getPrototypeOf(instance) !== prototype) return undefined;
    for (const key of keys) {
      const current = instance[key];
      // (instanceof is false for every primitive; the typeof test only saves its cost.)
      if (typeof current === 'object' || typeof current === 'function')
        if (current instanceof Function) return undefined;
      instance[key] = plain[key];
    }
    // whitelist: every own key of the instance (constructor fields too) must be validated.
    for (const key of Object.keys(instance)) if (!allowed.has(key)) return undefined;

    // ValidationExecutor.performValidations, per property in its order.
    for (const plan of plans) {
      const value = instance[plan.name];
      let canValidate: unknown = true;
      // Every condition runs (class-validator maps them all, then reduces with &&).
      for (const condition of plan.conditions) {
        const result = condition(instance, value);
        canValidate = canValidate && result;
      }
      if (!canValidate) continue;
      if (!passes(plan.defined, instance, value)) return undefined;
      if (value === undefined && skipUndefined) continue;
      if (value === null && skipNull) continue;
      if ((value === null || value === undefined) && skipMissing) continue;
      if (!passes(plan.custom, instance, value)) return undefined;
    }
    return instance;
  };

  return (payload) => {
    try {
      return accept(payload);
    } catch {
      // A throwing constructor, setter or constraint: the slow path reproduces the throw.
      return undefined;
    }
  };
}

/**
 * True when class-transformer would do anything but copy the DTO's validated properties:
 * an @Expose/@Exclude anywhere in the class chain, or @Type/@Transform on one of them.
 * Properties outside `names` never reach the fast path (their keys send it to the slow
 * path), so their decorators cannot change its result. Also true when class-transformer's
 * metadata cannot be read, so that a failed import means "no fast path", never a wrong one.
 */
function hasTransformerMetadata(metatype: Type, names: string[]): boolean {
  const storage = transformerStorage();
  if (storage === undefined) return true;
  if (storage.getExposedMetadatas(metatype).length > 0) return true;
  if (storage.getExcludedMetadatas(metatype).length > 0) return true;
  // Class-level @Expose/@Exclude (a strategy), on the class or on an ancestor.
  for (let c: unknown = metatype; typeof c === 'function' && c !== Function.prototype;) {
    if (storage.getStrategy(c) !== 'none') return true;
    c = Object.getPrototypeOf(c);
  }
  const types = [
    TransformationType.PLAIN_TO_CLASS,
    TransformationType.CLASS_TO_PLAIN,
    TransformationType.CLASS_TO_CLASS,
  ];
  for (const name of names) {
    if (storage.findTypeMetadata(metatype, name) !== undefined) return true;
    if (storage.findExposeMetadata(metatype, name) !== undefined) return true;
    if (storage.findExcludeMetadata(metatype, name) !== undefined) return true;
    for (const type of types)
      if (storage.findTransformMetadatas(metatype, name, type).length > 0) return true;
  }
  return false;
}

let cachedStorage: TransformerStorage | null | undefined;

/**
 * class-transformer 0.5.1's metadata storage, which its package exposes only by a deep
 * path. Checked once with a probe decorator: a storage the decorators do not write to
 * (another copy of the package, a bundler picking another build) must not be trusted.
 */
function transformerStorage(): TransformerStorage | undefined {
  if (cachedStorage !== undefined) return cachedStorage ?? undefined;
  cachedStorage = null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
      defaultMetadataStorage: TransformerStorage;
    };
    class Probe {}
    Exclude()(Probe.prototype, 'probe');
    if (defaultMetadataStorage.findExcludeMetadata(Probe, 'probe') !== undefined)
      cachedStorage = defaultMetadataStorage;
  } catch {
    // No readable storage: every DTO keeps the slow path.
  }
  return cachedStorage ?? undefined;
}

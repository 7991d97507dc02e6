// The compiled fast path of @MessageBody() DTO validation must be invisible: for every
// payload it gives what class-transformer + class-validator give (the same instance or the
// same WsValidationException), and it is only used for DTOs it reproduces exactly.
import * as classTransformer from 'class-transformer';
import { Exclude, Expose, Transform, Type as TransformType } from 'class-transformer';
import * as classValidator from 'class-validator';
import {
  Allow,
  IsBoolean,
  IsDefined,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import fc from 'fast-check';
import { WsValidationException } from '../../src/framework/exceptions/ws-validation-exception';
import type { Type } from '../../src/framework/interfaces/types';
import {
  compileValidator,
  DEFAULT_VALIDATION,
  hasFastPath,
  type CompiledValidator,
  type ValidationSettings,
} from '../../src/framework/pipeline/validation';
import { compileFastPath } from '../../src/framework/pipeline/validation-fast-path';

// ---------------------------------------------------------------- DTOs the fast path takes

class BenchDto {
  @IsString()
  @MaxLength(6)
  text!: string;

  @IsInt()
  n!: number;
}

class OptionalDto {
  @IsOptional()
  @IsString()
  @MaxLength(4)
  nick?: string;

  @IsInt()
  @Min(0)
  @Max(10)
  @IsOptional()
  age: number = 7;
}

class DefinedDto {
  @IsDefined()
  anything: unknown;

  @IsDefined()
  @IsBoolean()
  flag!: boolean;
}

enum Color {
  Red = 'red',
  Green = 'green',
}

class MixedDto {
  @IsIn(['a', 'b', 1])
  kind!: string | number;

  @IsEnum(Color)
  color!: Color;

  @IsNumber()
  @Min(-1.5)
  // A per-constraint condition: the bound only applies when ok is true.
  @Max(100, { validateIf: (o: MixedDto) => o.ok })
  x!: number;

  @IsBoolean()
  ok!: boolean;
}

@ValidatorConstraint({ name: 'isEven' })
class IsEven implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'number' && value % 2 === 0;
  }
}

/** Cross-field: reads the other property through the validation arguments. */
@ValidatorConstraint({ name: 'isAbove' })
class IsAbove implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const [other] = args.constraints as [string];
    const bound = (args.object as Record<string, unknown>)[other];
    return args.targetName === 'CustomDto' && typeof value === 'number' && value > Number(bound);
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be above ${String(args.constraints[0])}`;
  }
}

/** Passes with a truthy non-boolean, which class-validator accepts: the fast path defers. */
@ValidatorConstraint({ name: 'truthy' })
class Truthy implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return (typeof value === 'string' ? 1 : 0) as unknown as boolean;
  }
}

class CustomDto {
  @Validate(IsEven)
  a!: number;

  @Validate(IsAbove, ['a'])
  b!: number;

  @IsOptional()
  @Validate(Truthy)
  c?: string;
}

class BaseDto {
  @IsString()
  id!: string;

  @IsInt()
  version!: number;
}

class DerivedDto extends BaseDto {
  @IsOptional()
  @IsInt()
  @Max(3)
  override version: number = 1;

  @IsString({ groups: ['admin'] })
  @ValidateIf((o: DerivedDto) => o.id !== 'skip')
  note!: string;

  @Allow()
  free: unknown;
}

class InitialisedDto {
  @IsString()
  label: string = 'default';

  @IsInt()
  @IsOptional()
  count: number = 0;

  undecorated = 'x';
}

const defaultCallback = (): number => 1;

/** plainToInstance never overwrites a property whose current value is a function. */
class FunctionFieldDto {
  @IsString()
  text!: string;

  @Allow()
  callback: unknown = defaultCallback;
}

// ------------------------------------------------------------ DTOs the fast path must not take

class Inner {
  @IsString()
  name!: string;
}

class NestedDto {
  @ValidateNested()
  @TransformType(() => Inner)
  inner!: Inner;
}

@ValidatorConstraint({ name: 'slow', async: true })
class AsyncConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): Promise<boolean> {
    return Promise.resolve(value === 'ok');
  }
}

class AsyncDto {
  @Validate(AsyncConstraint)
  value!: string;
}

class EachDto {
  @IsString({ each: true })
  tags!: string[];
}

class TransformDto {
  @IsString()
  @Transform(({ value }: { value: unknown }) => value)
  text!: string;
}

class TypeDto {
  @IsNumber()
  @TransformType(() => Number)
  n!: number;
}

class ExposeDto {
  @IsString()
  @Expose({ name: 'label' })
  text!: string;
}

class ExcludeDto {
  @IsString()
  text!: string;

  @Exclude()
  @IsString()
  secret!: string;
}

@Exclude()
class ExcludeAllBase {
  @IsString()
  text!: string;
}

class ExcludeAllChild extends ExcludeAllBase {
  @IsInt()
  n!: number;
}

class GetterDto {
  @IsString()
  text!: string;

  @IsString()
  get upper(): string {
    return this.text.toUpperCase();
  }
}

// ------------------------------------------------------------------------------ helpers

/** The pure slow path: non-empty transform options (class-transformer's defaults) disqualify the fast path. */
function slowValidator(dto: Type, settings: ValidationSettings): CompiledValidator {
  const validator = compileValidator(dto, { ...settings, transform: { exposeUnsetFields: true } });
  expect(hasFastPath(validator)).toBe(false);
  return validator;
}

type Outcome =
  | { kind: 'instance'; prototype: unknown; entries: [string, unknown][]; shared: string[] }
  | { kind: 'invalid'; details: unknown }
  | { kind: 'thrown'; error: string };

function outcome(validator: CompiledValidator, payload: unknown): Outcome {
  try {
    const out = validator(payload) as object;
    const entries = Object.entries(out);
    // plainToInstance copies objects and arrays: the instance never shares the payload's.
    const shared = entries
      .filter(([, value]) => typeof value === 'object' && value !== null)
      .filter(([key, value]) => (payload as Record<string, unknown>)[key] === value)
      .map(([key]) => key);
    return { kind: 'instance', prototype: Object.getPrototypeOf(out), entries, shared };
  } catch (error) {
    if (error instanceof WsValidationException) return { kind: 'invalid', details: error.details };
    return { kind: 'thrown', error: String(error) };
  }
}

function expectSameOutcome(fast: Outcome, slow: Outcome): void {
  expect(fast.kind).toBe(slow.kind);
  if (fast.kind === 'instance' && slow.kind === 'instance') {
    expect(fast.prototype).toBe(slow.prototype);
    // Key order included: the instance must be built as plainToInstance builds it.
    expect(fast.entries).toEqual(slow.entries);
    expect(fast.shared).toEqual(slow.shared);
  } else {
    expect(fast).toEqual(slow);
  }
}

/** A plain object with these own entries, `__proto__` included as an own key (as JSON.parse does). */
function plainObject(entries: [string, unknown][]): Record<string, unknown> {
  return Object.fromEntries(entries);
}

const surrogateString = fc
  .array(fc.constantFrom('a', 'é', '😀', '𝕏'), { maxLength: 9 })
  .map((parts) => parts.join(''));

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 8 }),
  surrogateString,
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ minLength: 400, maxLength: 600 }),
  fc.integer({ min: -20, max: 20 }),
  fc.double(),
  fc.constantFrom(0, -0, NaN, Infinity, 1.5, 2, 4, 'a', 'b', 1, 'red', 'green', 'skip', ''),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 2 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.date(),
  fc.constantFrom(JSON.parse('{"constructor":1}'), JSON.parse('{"a":{"__proto__":{"x":1}}}')),
);

const EXTRA_KEYS = ['extra', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** Random payloads over the DTO's keys and some others, plus top-level non-objects. */
function randomPayload(keys: string[]): fc.Arbitrary<unknown> {
  const entry = fc.tuple(fc.constantFrom(...keys, ...keys, ...EXTRA_KEYS), anyValue);
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(entry, { maxLength: keys.length + 2 }).map(plainObject) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>(null, undefined, [], [1], 'text', 3, Object.create(null)),
    },
  );
}

interface Shape {
  dto: Type;
  /** The DTO's properties, the keys random payloads are mostly made of. */
  keys: string[];
  settings?: ValidationSettings;
  /** Payloads that should mostly be accepted, so the fast path's accept is exercised. */
  valid: fc.Arbitrary<unknown>;
  /** The DTO always gets an own key the fast path refuses (an undecorated field). */
  neverAccepted?: boolean;
}

const SHAPES: Record<string, Shape> = {
  'IsString + MaxLength + IsInt (the bench DTO)': {
    dto: BenchDto,
    keys: ['text', 'n'],
    valid: fc.record({ text: surrogateString, n: fc.integer() }),
  },
  'IsOptional, Min, Max, property initialiser': {
    dto: OptionalDto,
    keys: ['nick', 'age'],
    valid: fc.record(
      { nick: fc.option(surrogateString), age: fc.integer({ min: -1, max: 11 }) },
      { requiredKeys: [] },
    ),
  },
  'IsOptional with skipMissingProperties and only whitelisting': {
    dto: OptionalDto,
    keys: ['nick', 'age'],
    settings: { whitelist: true, skipMissingProperties: true },
    valid: fc.record({ nick: fc.option(surrogateString), age: fc.integer() }, { requiredKeys: [] }),
  },
  IsDefined: {
    dto: DefinedDto,
    keys: ['anything', 'flag'],
    valid: fc.record({ anything: anyValue, flag: fc.oneof(fc.boolean(), fc.constant(null)) }),
  },
  'IsIn, IsEnum, IsNumber, IsBoolean': {
    dto: MixedDto,
    keys: ['kind', 'color', 'x', 'ok'],
    valid: fc.record({
      kind: fc.constantFrom('a', 'b', 1, 'c'),
      color: fc.constantFrom('red', 'green', 'blue'),
      x: fc.oneof(fc.double(), fc.integer({ min: -2, max: 101 })),
      ok: fc.boolean(),
    }),
  },
  'user-defined sync constraints': {
    dto: CustomDto,
    keys: ['a', 'b', 'c'],
    // Mostly valid: a even, b above a, c absent (a string passes only through the slow path).
    valid: fc
      .record({
        half: fc.integer({ min: -5, max: 5 }),
        step: fc.integer({ min: -2, max: 6 }),
        c: fc.oneof(
          { weight: 3, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.oneof(fc.string(), fc.integer()) },
        ),
      })
      .map(({ half, step, c }) => ({
        a: half * 2,
        b: half * 2 + step,
        ...(c === undefined ? {} : { c }),
      })),
  },
  'inheritance, ValidateIf, metadata groups, Allow': {
    dto: DerivedDto,
    keys: ['id', 'version', 'note', 'free'],
    valid: fc.record(
      {
        id: fc.constantFrom('x', 'skip', 3),
        version: fc.integer({ min: 0, max: 5 }),
        note: fc.oneof(fc.string(), fc.integer()),
        free: anyValue,
      },
      { requiredKeys: ['id'] },
    ),
  },
  'a field initialised to a function': {
    dto: FunctionFieldDto,
    keys: ['text', 'callback'],
    valid: fc.record({ text: fc.string(), callback: fc.string() }, { requiredKeys: ['text'] }),
  },
  'property initialisers with an undecorated field (never accepted)': {
    dto: InitialisedDto,
    keys: ['label', 'count', 'undecorated'],
    neverAccepted: true,
    valid: fc.record({ label: fc.string(), count: fc.integer() }, { requiredKeys: [] }),
  },
  'property initialisers with whitelist only (stripping)': {
    dto: InitialisedDto,
    keys: ['label', 'count', 'undecorated'],
    neverAccepted: true,
    settings: { whitelist: true },
    valid: fc.record({ label: fc.string(), count: fc.integer() }, { requiredKeys: [] }),
  },
};

// ------------------------------------------------------------------------------ tests

describe('validation fast path: same outcome as class-transformer + class-validator', () => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    it(name, () => {
      const settings = shape.settings ?? DEFAULT_VALIDATION;
      const fast = compileValidator(shape.dto, settings);
      const slow = slowValidator(shape.dto, settings);
      expect(hasFastPath(fast)).toBe(true);
      const { transform, async: isAsync, ...validatorOptions } = settings;
      const accept = compileFastPath(
        shape.dto,
        validatorOptions,
        { ...transform },
        isAsync === true,
      );
      let accepted = 0;
      fc.assert(
        fc.property(fc.oneof(shape.valid, randomPayload(shape.keys)), (payload) => {
          if (accept?.(payload) !== undefined) accepted++;
          expectSameOutcome(outcome(fast, payload), outcome(slow, payload));
        }),
        { numRuns: 300 },
      );
      // Guards against a differential test that never reaches the fast path's accept.
      if (shape.neverAccepted === true) expect(accepted).toBe(0);
      else expect(accepted).toBeGreaterThan(20);
    });
  }

  it('never accepts a payload with an unsafe key, at any depth', () => {
    const fast = compileValidator(BenchDto, DEFAULT_VALIDATION);
    for (const json of [
      '{"text":"hi","n":1,"__proto__":{"x":1}}',
      '{"text":"hi","n":1,"constructor":1}',
      '{"text":"hi","n":1,"prototype":null}',
      '{"text":{"constructor":"x"},"n":1}',
    ]) {
      expect(() => fast(JSON.parse(json))).toThrow(WsValidationException);
      const details = outcome(fast, JSON.parse(json));
      expect(JSON.stringify(details)).toContain('unsafeKey');
    }
  });
});

describe('validation fast path: when it is used', () => {
  afterEach(() => jest.restoreAllMocks());

  it('accepts a valid payload without class-transformer or class-validator', () => {
    const toInstance = jest.spyOn(classTransformer, 'plainToInstance');
    const validateSync = jest.spyOn(classValidator, 'validateSync');
    const validator = compileValidator(BenchDto, DEFAULT_VALIDATION);
    const out = validator({ text: 'hello', n: 42 });
    expect(out).toBeInstanceOf(BenchDto);
    expect(out).toEqual({ text: 'hello', n: 42 });
    expect(toInstance).not.toHaveBeenCalled();
    expect(validateSync).not.toHaveBeenCalled();

    // A rejected payload runs the libraries, which write the error.
    expect(() => validator({ text: 'too long!', n: 42 })).toThrow(WsValidationException);
    expect(toInstance).toHaveBeenCalledTimes(1);
    expect(validateSync).toHaveBeenCalledTimes(1);
  });

  it.each<[string, Type]>([
    ['the bench DTO', BenchDto],
    ['IsOptional', OptionalDto],
    ['IsDefined', DefinedDto],
    ['IsIn/IsEnum/IsNumber/IsBoolean', MixedDto],
    ['user-defined sync constraints', CustomDto],
    ['inheritance, ValidateIf, metadata groups, Allow', DerivedDto],
    ['property initialisers', InitialisedDto],
  ])('is compiled for %s', (_name, dto) => {
    expect(hasFastPath(compileValidator(dto, DEFAULT_VALIDATION))).toBe(true);
  });

  it.each<[string, Type]>([
    ['@ValidateNested', NestedDto],
    ['an async constraint', AsyncDto],
    ['each: true', EachDto],
    ['@Transform', TransformDto],
    ['@Type', TypeDto],
    ['@Expose', ExposeDto],
    ['@Exclude on a property', ExcludeDto],
    ['@Exclude on an ancestor class', ExcludeAllChild],
    ['a validated getter', GetterDto],
  ])('is not compiled for a DTO with %s', (_name, dto) => {
    expect(hasFastPath(compileValidator(dto, DEFAULT_VALIDATION))).toBe(false);
  });

  it.each<[string, ValidationSettings]>([
    ['groups', { ...DEFAULT_VALIDATION, groups: ['admin'] }],
    ['always', { ...DEFAULT_VALIDATION, always: true }],
    ['strictGroups', { ...DEFAULT_VALIDATION, strictGroups: true }],
    ['async validation', { ...DEFAULT_VALIDATION, async: true }],
    ['class-transformer options', { ...DEFAULT_VALIDATION, transform: { excludePrefixes: ['_'] } }],
  ])('is not compiled with %s in the options', (_name, settings) => {
    expect(hasFastPath(compileValidator(BenchDto, settings))).toBe(false);
  });

  it('leaves the class-transformer DTOs their transformations', () => {
    expect(compileValidator(ExposeDto, DEFAULT_VALIDATION)({ label: 'hi' })).toEqual({
      text: 'hi',
    });
    expect(() =>
      compileValidator(ExcludeDto, DEFAULT_VALIDATION)({ text: 'a', secret: 'b' }),
    ).toThrow(WsValidationException);
  });
});

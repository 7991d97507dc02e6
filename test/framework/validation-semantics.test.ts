// Pins what compileValidator does for flat DTOs (no @ValidateNested) today, so that a
// faster path that skips class-transformer's plainToInstance cannot change it unnoticed.
import { Transform } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { WsValidationException } from '../../src/framework/exceptions/ws-validation-exception';
import {
  compileValidator,
  DEFAULT_VALIDATION,
  type ValidationSettings,
} from '../../src/framework/pipeline/validation';
import type { Type } from '../../src/framework/interfaces/types';

class FlatDto {
  @IsString()
  @MaxLength(5)
  text!: string;

  @IsInt()
  @IsOptional()
  n: number = 7;
}

class TrimDto {
  @IsString()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  text!: string;
}

class UndecoratedFieldDto {
  @IsString()
  text!: string;

  note?: string;
}

class MetaDto {
  @IsObject()
  meta!: Record<string, unknown>;
}

function run(
  dto: Type,
  value: unknown,
  settings: ValidationSettings = DEFAULT_VALIDATION,
): unknown {
  return compileValidator(dto, settings)(value);
}

function details(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WsValidationException);
    return (error as WsValidationException).details;
  }
  throw new Error('expected a WsValidationException');
}

describe('compileValidator on flat DTOs', () => {
  it('returns an instance of the DTO with field initialisers applied to missing keys', () => {
    const out = run(FlatDto, { text: 'hi' });
    expect(out).toBeInstanceOf(FlatDto);
    expect(out).toEqual({ text: 'hi', n: 7 });
  });

  it('lets the payload override field initialisers', () => {
    expect(run(FlatDto, { text: 'hi', n: 3 })).toEqual({ text: 'hi', n: 3 });
  });

  it('refuses unknown properties with forbidNonWhitelisted', () => {
    expect(details(() => run(FlatDto, { text: 'hi', extra: 1 }))).toEqual([
      {
        property: 'extra',
        constraints: { whitelistValidation: 'property extra should not exist' },
      },
    ]);
  });

  it('strips unknown properties when only whitelisting', () => {
    const out = run(FlatDto, { text: 'hi', extra: 1 }, { whitelist: true });
    expect(out).toEqual({ text: 'hi', n: 7 });
    expect(Object.hasOwn(out as object, 'extra')).toBe(false);
  });

  it('reports failing constraints', () => {
    expect(details(() => run(FlatDto, { text: 'too long', n: 1.5 }))).toEqual([
      {
        property: 'text',
        constraints: { maxLength: 'text must be shorter than or equal to 5 characters' },
      },
      { property: 'n', constraints: { isInt: 'n must be an integer number' } },
    ]);
  });

  it('refuses __proto__ and constructor keys at any depth, before anything else', () => {
    const payload = JSON.parse('{"text":"hi","__proto__":{"x":1},"meta":{"constructor":1}}');
    expect(details(() => run(FlatDto, payload))).toEqual([
      { property: '__proto__', constraints: { unsafeKey: 'property __proto__ is not allowed' } },
      {
        property: 'meta.constructor',
        constraints: { unsafeKey: 'property constructor is not allowed' },
      },
    ]);
  });

  it('applies @Transform on a DTO without nested validation', () => {
    expect(run(TrimDto, { text: '  hi  ' })).toEqual({ text: 'hi' });
  });

  it('builds the instance with new Dto(): a declared field without constraints is refused', () => {
    // Class fields are defined by the constructor (ES2022), so `note` exists on the
    // instance even when the payload lacks it, and forbidNonWhitelisted refuses it.
    expect(details(() => run(UndecoratedFieldDto, { text: 'hi' }))).toEqual([
      { property: 'note', constraints: { whitelistValidation: 'property note should not exist' } },
    ]);
  });

  it('hands the handler copies of nested objects, not the payload objects', () => {
    const payload = { meta: { a: { b: 1 } } };
    const out = run(MetaDto, payload) as MetaDto;
    expect(out.meta).toEqual(payload.meta);
    expect(out.meta).not.toBe(payload.meta);
    expect(out.meta.a).not.toBe(payload.meta.a);
  });
});

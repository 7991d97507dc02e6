/**
 * The only module that reads metadata (docs/internals/code-style.md, "The framework: read metadata once"). The scanner calls these once per
 * class at bootstrap; nothing here runs per message.
 * @module
 */
import 'reflect-metadata';
import * as K from './keys';

type Target = object;

function read<T>(key: string, target: Target, property?: string | symbol): T | undefined {
  return (
    property === undefined
      ? Reflect.getMetadata(key, target)
      : Reflect.getMetadata(key, target, property)
  ) as T | undefined;
}

export function readGatewayOptions<T>(target: Target): T | undefined {
  return read<T>(K.GATEWAY_OPTIONS, target);
}

export function readMessageEvents(proto: Target, method: string | symbol): string[] | undefined {
  return read<string[]>(K.MESSAGE_EVENTS, proto, method);
}

export function readParams<T>(proto: Target, method: string | symbol): T[] {
  return read<T[]>(K.PARAMS, proto, method) ?? [];
}

export function readServerProperties(proto: Target): (string | symbol)[] {
  return read<(string | symbol)[]>(K.SERVER_PROPERTIES, proto) ?? [];
}

export function readList<T>(key: string, target: Target, property?: string | symbol): T[] {
  return read<T[]>(key, target, property) ?? [];
}

export function readValue<T>(
  key: string,
  target: Target,
  property?: string | symbol,
): T | undefined {
  return read<T>(key, target, property);
}

export function readCustom(target: Target, property?: string | symbol): Map<unknown, unknown> {
  return read<Map<unknown, unknown>>(K.CUSTOM, target, property) ?? new Map();
}

/** Parameter types emitted by TypeScript for a method or (without `method`) a constructor. */
export function readParamTypes(target: Target, method?: string | symbol): unknown[] | undefined {
  return read<unknown[]>(K.DESIGN_PARAMTYPES, target, method);
}

/** The declared type of a decorated property. */
export function readPropertyType(proto: Target, property: string | symbol): unknown {
  return read<unknown>(K.DESIGN_TYPE, proto, property);
}

/** Constructor parameters overridden with tsyringe's `@inject(token)`, by index. */
export function readInjectionTokens(ctor: Target): Record<number, unknown> {
  return (
    (Reflect.getOwnMetadata(K.TSYRINGE_INJECTION_TOKENS, ctor) as
      Record<number, unknown> | undefined) ?? {}
  );
}

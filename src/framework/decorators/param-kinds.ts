/**
 * What each parameter decorator records.
 * @module
 */
import type { InjectionToken } from 'tsyringe';
import type { PipeTransform } from '../interfaces/pipe';
import type { ClassOrInstance } from '../interfaces/types';
import { PARAMS } from '../metadata/keys';
import { prependMetadata } from '../metadata/write';

/** The recorded form of one decorated handler parameter. */
export type ParamRecord =
  | {
      index: number;
      kind: 'body';
      property: string | undefined;
      pipes: ClassOrInstance<PipeTransform>[];
    }
  | { index: number; kind: 'socket' }
  | { index: number; kind: 'ack' }
  | { index: number; kind: 'connection'; token: InjectionToken<unknown> };

/** Records one parameter; shared by the parameter decorators. */
export function recordParam(
  target: object,
  method: string | symbol | undefined,
  record: ParamRecord,
): void {
  // A parameter decorator on a constructor has no method; the scanner reports it.
  prependMetadata(PARAMS, [record], target, method ?? 'constructor');
}

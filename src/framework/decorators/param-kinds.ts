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

/**
 * What an undecorated parameter receives, by position, as in NestJS: the socket, the
 * payload (raw: no validation, no pipes), the ack callback (or `undefined`; the handler
 * does not own it), then nothing (NestJS passes `undefined` there too).
 */
export type ImplicitParam =
  | { index: number; kind: 'implicit-socket' }
  | { index: number; kind: 'implicit-body' }
  | { index: number; kind: 'implicit-ack' }
  | { index: number; kind: 'implicit-none' };

/** Implicit kinds by parameter position; later positions get `implicit-none`. */
export const IMPLICIT_KINDS = ['implicit-socket', 'implicit-body', 'implicit-ack'] as const;

/** Records one parameter; shared by the parameter decorators. */
export function recordParam(
  target: object,
  method: string | symbol | undefined,
  record: ParamRecord,
): void {
  // A parameter decorator on a constructor has no method; the scanner reports it.
  prependMetadata(PARAMS, [record], target, method ?? 'constructor');
}

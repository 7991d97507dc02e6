/**
 * Compiles a handler's parameters into resolvers: each one turns the context into the
 * value of one argument (payload through validation and pipes, socket, ack, provider).
 * @module
 */
import type { ArgumentMetadata, PipeTransform } from '../interfaces/pipe';
import type { ParamPlan } from '../scanner';
import type { WsContext } from './context';
import { isThenable } from './thenable';
import { ValidationPipe } from '../pipes/validation-pipe';
import { compileValidator, isDto, type ValidationSettings } from './validation';

/** Produces one argument; may return a promise only if a pipe or validator is async. */
export type ParamResolver = (ctx: WsContext) => unknown;

/** A value transform with its metadata bound; built at bootstrap. */
type Transform = (value: unknown) => unknown;

/** What the parameter step needs besides the plan, all resolved at bootstrap. */
export interface ParamDeps {
  /** App, class and method pipes, in that order. */
  sharedPipes: readonly PipeTransform[];
  /** Resolves a parameter's own pipe (class or instance). */
  resolvePipe: (pipe: unknown) => PipeTransform;
  /** Effective validation settings, or `false` when off for this handler. */
  validation: ValidationSettings | false;
}

const NOOP_ACK = (): void => undefined;

/** Builds the resolver of one parameter. */
export function compileParam(param: ParamPlan, deps: ParamDeps): ParamResolver {
  switch (param.kind) {
    case 'socket':
      return (ctx) => ctx.socket;
    case 'ack':
      return (ctx) => ctx.ack ?? NOOP_ACK;
    case 'connection': {
      const token = param.token;
      return (ctx) => ctx.resolve(token);
    }
    case 'body':
      return compileBody(param, deps);
    case 'implicit-socket':
      return (ctx) => ctx.socket;
    case 'implicit-body':
      return (ctx) => ctx.data;
    case 'implicit-ack':
      return (ctx) => ctx.ack ?? undefined;
    case 'implicit-none':
      return () => undefined;
  }
}

function compileBody(param: Extract<ParamPlan, { kind: 'body' }>, deps: ParamDeps): ParamResolver {
  const meta: ArgumentMetadata = Object.freeze({
    type: 'body',
    metatype: param.metatype,
    data: param.property,
    index: param.index,
  });
  const transforms: Transform[] = [];
  const pipes = [...deps.sharedPipes, ...param.pipes.map(deps.resolvePipe)];
  // A NestJS ValidationPipe on the handler validates with its own options instead.
  const ownValidation = pipes.some((pipe) => pipe instanceof ValidationPipe);
  if (deps.validation !== false && !ownValidation && isDto(param.metatype))
    transforms.push(compileValidator(param.metatype, deps.validation));
  for (const pipe of pipes) transforms.push((value) => pipe.transform(value, meta));
  const property = param.property;
  const read: ParamResolver =
    property === undefined ? (ctx) => ctx.data : (ctx) => readProperty(ctx.data, property);
  if (transforms.length === 0) return read;
  return (ctx) => runTransforms(transforms, read(ctx), 0);
}

/** Own properties only: `@MessageBody('constructor')` must never reach a prototype. */
function readProperty(data: unknown, property: string): unknown {
  if (data === null || typeof data !== 'object' || !Object.hasOwn(data, property)) return undefined;
  return (data as Record<string, unknown>)[property];
}

function runTransforms(transforms: readonly Transform[], value: unknown, from: number): unknown {
  let current = value;
  for (let i = from; i < transforms.length; i++) {
    current = transforms[i](current);
    if (isThenable(current))
      return Promise.resolve(current).then((v) => runTransforms(transforms, v, i + 1));
  }
  return current;
}

/** Fills `ctx.values` in parameter order; returns a promise only when a resolver does. */
export function resolveParams(
  ctx: WsContext,
  resolvers: readonly ParamResolver[],
  from: number,
): unknown {
  const values = ctx.values as unknown[];
  for (let i = from; i < resolvers.length; i++) {
    const value = resolvers[i](ctx);
    if (isThenable(value)) {
      return Promise.resolve(value).then((v) => {
        values[i] = v;
        return resolveParams(ctx, resolvers, i + 1);
      });
    }
    values[i] = value;
  }
  return undefined;
}

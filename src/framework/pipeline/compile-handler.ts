/**
 * Compiles one handler plan into one plain function: guards -> parameters (validation,
 * pipes) -> rooms -> interceptors -> handler -> reply, with the exception filters around
 * it. Empty stages are left out at bootstrap, not skipped per message (docs/internals/code-style.md, "Decide at bootstrap").
 * @module
 */
import type { Socket } from '../../server';
import { WS_ERROR_CODES } from '../exceptions/error-codes';
import { WsException } from '../exceptions/ws-exception';
import type { CanActivate } from '../interfaces/guard';
import type { HandlerFunction } from '../interfaces/execution-context';
import type { Interceptor } from '../interfaces/interceptor';
import type { HandlerPlan } from '../scanner';
import { WsContext, type HandlerInfo, type ScopeResolver } from './context';
import { answerError, type ErrorMode } from './error-reply';
import type { Logger, ResolvedFilter } from './exceptions';
import { runGuards } from './guards';
import { disarm, type InFlight } from './in-flight';
import { compileParam, resolveParams, type ParamDeps } from './params';
import { isObservable, loadRxjs, toHandled, type Rx } from './observable';
import { sendNestResult, sendResult, sendStream, type ReplyMode } from './reply';
import { compileRooms } from './rooms';
import { isThenable } from './thenable';

/** Everything a handler needs, already resolved from the container. */
export interface HandlerDeps extends ParamDeps {
  /** The gateway instance the method is called on; `null` for a request-scoped gateway (the connection's own instance). */
  instance: object | null;
  /** App, class, then method guards. */
  guards: readonly CanActivate[];
  /** App, class, then method interceptors (first is outermost). */
  interceptors: readonly Interceptor[];
  /** Method, class, then app filters (first match wins). */
  filters: readonly ResolvedFilter[];
  /** Answer with `WG_ERR_HANDLER_TIMEOUT` when an async chain takes longer; `null` for no limit. */
  timeoutMs: number | null;
  /** Records armed timeout timers so a disconnect or `app.close()` clears them (`createApp` passes one per app). */
  inFlight?: InFlight | null;
  logger: Logger;
  scopes: ScopeResolver;
  /** How results are answered (default `'nestjs'`). */
  replies?: ReplyMode;
  /** The shape of error replies (default `'wiregate'`). */
  errors?: ErrorMode;
  /** What `next.handle()` returns to interceptors (default `'observable'`). */
  callHandler?: CallHandlerMode;
}

/**
 * `'observable'`: an rxjs Observable, as in NestJS (rxjs must be installed); it can also
 * be awaited. `'value'`: the handler's value or its promise.
 */
export type CallHandlerMode = 'observable' | 'value';

/** The compiled form of one handler. */
export interface CompiledHandler {
  readonly event: string;
  readonly plan: HandlerPlan;
  /** Handles one message; `args` are the listener's arguments (ack last, if any). */
  readonly run: (socket: Socket, args: unknown[]) => void;
}

type Step = (ctx: WsContext) => unknown;

const NO_VALUES: unknown[] = [];

/** Everything the per-message entry and its error path close over. */
interface Runtime {
  info: HandlerInfo;
  first: Step;
  paramCount: number;
  filters: readonly ResolvedFilter[] | null;
  timeoutMs: number | null;
  logger: Logger;
  errors: ErrorMode;
}

/** Builds the one function that handles every message of `plan.event`. */
export function compileHandler(plan: HandlerPlan, deps: HandlerDeps): CompiledHandler {
  const rt: Runtime = {
    info: handlerInfo(plan, deps),
    first: compileSteps(plan, deps),
    paramCount: plan.params.length,
    filters: deps.filters.length === 0 ? null : deps.filters,
    timeoutMs: deps.timeoutMs,
    logger: deps.logger,
    errors: deps.errors ?? 'wiregate',
  };
  const run = (socket: Socket, args: unknown[]): void => {
    const ctx = new WsContext(socket, rt.info, args, rt.paramCount);
    let result: unknown;
    // The one try/catch of a message; the chain's rejections meet the one handler below.
    try {
      result = rt.first(ctx);
    } catch (err) {
      fail(rt, ctx, err);
      return;
    }
    if (!isThenable(result)) return;
    if (rt.timeoutMs !== null) armTimer(rt, ctx);
    result.then(undefined, (err: unknown) => fail(rt, ctx, err));
  };
  return { event: plan.event, plan, run };
}

function handlerInfo(plan: HandlerPlan, deps: HandlerDeps): HandlerInfo {
  const metadata = new Map([...plan.gateway.metadata, ...plan.metadata]);
  const { target } = plan.gateway;
  return {
    target,
    method: plan.method,
    handler: (target.prototype as Record<string, HandlerFunction>)[plan.method],
    event: plan.event,
    metadata,
    scopes: deps.scopes,
    inFlight: deps.inFlight ?? null,
    allArgsPayload: deps.replies !== 'wiregate',
  };
}

/** Chains the non-empty stages, last to first, into one step. */
function compileSteps(plan: HandlerPlan, deps: HandlerDeps): Step {
  const target = plan.gateway.target;
  const instance = deps.instance;
  const method = ((instance ?? target.prototype) as Record<string, (...a: unknown[]) => unknown>)[
    plan.method
  ];
  const ownsAck = plan.params.some((p) => p.kind === 'ack');
  const send = deps.replies === 'wiregate' ? sendResult : sendNestResult;
  const invoke: Step =
    instance !== null
      ? (ctx) => method.apply(instance, ctx.values ?? NO_VALUES)
      : (ctx) => method.apply(ctx.resolve(target), ctx.values ?? NO_VALUES);
  const core =
    deps.interceptors.length === 0
      ? invoke
      : withInterceptors(
          deps.interceptors,
          invoke,
          deps.callHandler === 'value' ? null : loadRxjs(`${plan.gateway.name}.${plan.method}`),
        );
  const mode = deps.replies ?? 'nestjs';
  // Observables are checked before thenables: next.handle()'s Observable is awaitable too.
  const deliver = (ctx: WsContext, value: unknown): unknown => {
    if (isObservable(value)) return sendStream(ctx, value, ownsAck, mode);
    send(ctx, value, ownsAck);
    return undefined;
  };
  let step: Step = (ctx) => {
    const result = core(ctx);
    if (isObservable(result)) return sendStream(ctx, result, ownsAck, mode);
    if (isThenable(result)) return Promise.resolve(result).then((value) => deliver(ctx, value));
    send(ctx, result, ownsAck);
    return undefined;
  };
  if (plan.joins.length > 0 || plan.leaves.length > 0) {
    const bodyIndex = plan.params.findIndex((p) => p.kind === 'body' && p.property === undefined);
    step = sequence(compileRooms(plan.joins, plan.leaves, bodyIndex), step);
  }
  if (plan.params.length > 0) {
    const resolvers = plan.params.map((p) => compileParam(p, deps));
    step = sequence((ctx) => resolveParams(ctx, resolvers, 0), step);
  }
  if (deps.guards.length > 0) {
    const guards = deps.guards;
    step = sequence((ctx) => runGuards(ctx, guards, 0), step);
  }
  return step;
}

/** `first`, then `next`; synchronous unless `first` returns a thenable. */
function sequence(first: Step, next: Step): Step {
  return (ctx) => {
    const r = first(ctx);
    return isThenable(r) ? Promise.resolve(r).then(() => next(ctx)) : next(ctx);
  };
}

/**
 * Nests the interceptors around the handler. With rxjs (`callHandler: 'observable'`),
 * `next.handle()` returns an Observable of the rest of the chain, as in NestJS (also
 * awaitable); without, it returns the value or its promise.
 */
function withInterceptors(interceptors: readonly Interceptor[], invoke: Step, rx: Rx | null): Step {
  const call = (ctx: WsContext, i: number): unknown =>
    i === interceptors.length
      ? invoke(ctx)
      : interceptors[i].intercept(ctx, {
          handle: rx === null ? () => call(ctx, i + 1) : () => toHandled(call(ctx, i + 1), rx),
        });
  return (ctx) => call(ctx, 0);
}

/** The error path: never throws, answers the client at most once. */
function fail(rt: Runtime, ctx: WsContext, err: unknown): void {
  if (ctx.answered) {
    // Already answered (timeout fired, or the reply itself failed after answering): log only.
    rt.logger.error(
      `[wiregate] error after the client was answered in ${rt.info.target?.name}.${rt.info.method}:`,
      err,
    );
    return;
  }
  answerError(ctx, err, rt.filters, rt.logger, rt.errors);
}

function armTimer(rt: Runtime, ctx: WsContext): void {
  const timer = setTimeout(onTimeout, rt.timeoutMs as number, ctx, rt);
  // A pending handler must not keep the process alive on its own.
  (timer as unknown as { unref?: () => void }).unref?.();
  ctx.timer = timer as unknown as ReturnType<typeof setTimeout>;
  // Recorded so the socket's disconnect (or app.close()) clears it; answering disarms it.
  ctx.info.inFlight?.add(ctx);
}

function onTimeout(ctx: WsContext, rt: Runtime): void {
  disarm(ctx);
  if (ctx.answered) return;
  const timeout = new WsException(
    `Handler for "${ctx.event}" did not answer within ${rt.timeoutMs} ms`,
    { code: WS_ERROR_CODES.HANDLER_TIMEOUT },
  );
  // Filters are not consulted: the handler may still be running and fail later.
  answerError(ctx, timeout, null, rt.logger, rt.errors);
}

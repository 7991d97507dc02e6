/**
 * Reads every gateway's metadata once, into plain plan objects. After this step nothing
 * looks at decorators again (docs/internals/code-style.md, "The framework: read metadata once").
 * @module
 */
import type { GatewayRecord, NamespaceSpec } from './decorators/web-socket-gateway';
import { IMPLICIT_KINDS, type ImplicitParam, type ParamRecord } from './decorators/param-kinds';
import type { RoomSpec } from './decorators/join-room';
import { bootstrapError } from './exceptions/bootstrap-error';
import type { CanActivate } from './interfaces/guard';
import type { PipeTransform } from './interfaces/pipe';
import type { Interceptor } from './interfaces/interceptor';
import type { ExceptionFilter } from './interfaces/exception-filter';
import type { ClassOrInstance, Type } from './interfaces/types';
import * as K from './metadata/keys';
import * as read from './metadata/read';
import { isDto, type ValidationSettings } from './pipeline/validation';

/** Event names the socket layer reserves; a handler for one of them could never run. */
const RESERVED_EVENTS = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);

/** Guards, pipes, interceptors, filters, validation and custom metadata of one level. */
export interface Enhancers {
  guards: ClassOrInstance<CanActivate>[];
  pipes: ClassOrInstance<PipeTransform>[];
  interceptors: ClassOrInstance<Interceptor>[];
  filters: ClassOrInstance<ExceptionFilter>[];
  validation: ValidationSettings | false | undefined;
  metadata: Map<unknown, unknown>;
}

/** One handler parameter with its declared type. */
export type ParamPlan = (ParamRecord | ImplicitParam) & { metatype: unknown };

/** Everything known about one handler, as plain data. */
export interface HandlerPlan extends Enhancers {
  gateway: GatewayPlan;
  method: string;
  event: string;
  params: ParamPlan[];
  joins: RoomSpec[];
  leaves: RoomSpec[];
}

/** Everything known about one gateway class, as plain data. */
export interface GatewayPlan extends Enhancers {
  target: Type;
  name: string;
  namespace: NamespaceSpec;
  options: GatewayRecord;
  /** 0: the app's server; another port: a server of its own on that port. */
  port: number;
  /** Socket server options: the top-level ones, then `serverOptions`. */
  serverOptions: Record<string, unknown>;
  serverProperties: { property: string | symbol; type: unknown }[];
  handlers: HandlerPlan[];
  hasAfterInit: boolean;
  hasHandleConnection: boolean;
  hasHandleDisconnect: boolean;
  /** Start-up warnings (ambiguous undecorated parameters); `createApp` logs them. */
  warnings: string[];
}

/**
 * Builds the plan of one gateway class.
 * @throws WiregateError `WG_ERR_BOOTSTRAP` when the class is not a gateway or a handler is malformed.
 */
export function scanGateway(target: Type): GatewayPlan {
  if (typeof target !== 'function')
    throw bootstrapError(`createApp: gateways must be classes, got ${String(target)}`);
  const options = read.readGatewayOptions<GatewayRecord>(target);
  if (options === undefined) {
    throw bootstrapError(
      `${target.name} is listed in gateways but has no @WebSocketGateway() decorator`,
    );
  }
  const proto = target.prototype as Record<string, unknown>;
  const plan: GatewayPlan = {
    ...readEnhancers(target),
    target,
    name: target.name,
    namespace: options.namespace ?? '/',
    options,
    port: checkPort(target, options.port),
    serverOptions: serverOptionsOf(options),
    serverProperties: read
      .readServerProperties(proto)
      .map((property) => ({ property, type: read.readPropertyType(proto, property) })),
    handlers: [],
    hasAfterInit: typeof proto.afterInit === 'function',
    hasHandleConnection: typeof proto.handleConnection === 'function',
    hasHandleDisconnect: typeof proto.handleDisconnect === 'function',
    warnings: [],
  };
  for (const method of listMethods(proto)) {
    for (const event of read.readMessageEvents(proto, method) ?? [])
      plan.handlers.push(scanHandler(plan, proto, method, event));
  }
  return plan;
}

/** Keys of `@WebSocketGateway()` options that are the gateway's, not the server's. */
const GATEWAY_KEYS = new Set(['namespace', 'rooms', 'serverOptions', 'port']);

function serverOptionsOf(options: GatewayRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options))
    if (!GATEWAY_KEYS.has(key) && value !== undefined) out[key] = value;
  return { ...out, ...options.serverOptions };
}

function checkPort(target: Type, port: unknown): number {
  if (port === undefined) return 0;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535)
    throw bootstrapError(
      `@WebSocketGateway(${String(port)}) on ${target.name}: the port must be an integer from 0 to 65535`,
    );
  return port;
}

function readEnhancers(target: object, method?: string): Enhancers {
  return {
    guards: read.readList(K.GUARDS, target, method),
    pipes: read.readList(K.PIPES, target, method),
    interceptors: read.readList(K.INTERCEPTORS, target, method),
    filters: read.readList(K.FILTERS, target, method),
    validation: read.readValue<ValidationSettings | false>(K.VALIDATION, target, method),
    metadata: read.readCustom(target, method),
  };
}

/** Method names along the prototype chain, nearest definition first, accessors skipped. */
function listMethods(proto: object): string[] {
  const seen = new Set<string>();
  for (
    let p: object | null = proto;
    p !== null && p !== Object.prototype;
    p = Object.getPrototypeOf(p) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(p)) {
      const desc = Object.getOwnPropertyDescriptor(p, name);
      if (name !== 'constructor' && typeof desc?.value === 'function') seen.add(name);
    }
  }
  return [...seen];
}

function scanHandler(
  gateway: GatewayPlan,
  proto: Record<string, unknown>,
  method: string,
  event: string,
): HandlerPlan {
  const where = `${gateway.name}.${method}`;
  if (typeof event !== 'string' || event.length === 0)
    throw bootstrapError(`@SubscribeMessage on ${where} needs a non-empty event name`);
  if (RESERVED_EVENTS.has(event)) {
    throw bootstrapError(
      `@SubscribeMessage('${event}') on ${where}: "${event}" is reserved by the socket layer; use lifecycle hooks (handleConnection/handleDisconnect) instead`,
    );
  }
  return {
    ...readEnhancers(proto, method),
    gateway,
    method,
    event,
    params: scanParams(where, proto, method, gateway.warnings),
    joins: read.readList<RoomSpec>(K.JOIN_ROOMS, proto, method),
    leaves: read.readList<RoomSpec>(K.LEAVE_ROOMS, proto, method),
  };
}

function scanParams(
  where: string,
  proto: Record<string, unknown>,
  method: string,
  warnings: string[],
): ParamPlan[] {
  const records = read.readParams<ParamRecord>(proto, method);
  const types = read.readParamTypes(proto, method) ?? [];
  const arity = Math.max(
    (proto[method] as (...a: unknown[]) => unknown).length,
    ...records.map((r) => r.index + 1),
  );
  const params: ParamPlan[] = [];
  for (let index = 0; index < arity; index++) {
    const found = records.filter((r) => r.index === index);
    if (found.length > 1)
      throw bootstrapError(`Parameter #${index} of ${where} has more than one parameter decorator`);
    if (found.length === 1) {
      params.push({ ...found[0], metatype: types[index] });
      continue;
    }
    const implicit = implicitParam(index);
    params.push({ ...implicit, metatype: types[index] });
    // NestJS fills undecorated parameters only when none is decorated (else they get
    // undefined); mixing is almost always a forgotten decorator, so say so at start-up.
    if (records.length > 0)
      warnings.push(
        `Parameter #${index} of ${where} has no decorator while others have one: it receives ${describeImplicit(implicit)} by position (NestJS would pass undefined). Add a decorator to make it explicit`,
      );
    else if (implicit.kind === 'implicit-body' && isValidatedClass(types[index]))
      warnings.push(
        `Parameter #${index} of ${where} is typed with ${(types[index] as Type).name} but has no @MessageBody(): it receives the raw payload, not validated (as in NestJS). Add @MessageBody() to validate it`,
      );
  }
  return params;
}

function implicitParam(index: number): ImplicitParam {
  return { index, kind: IMPLICIT_KINDS[index] ?? 'implicit-none' };
}

function describeImplicit(param: ImplicitParam): string {
  switch (param.kind) {
    case 'implicit-socket':
      return 'the socket';
    case 'implicit-body':
      return 'the payload';
    case 'implicit-ack':
      return 'the ack callback';
    case 'implicit-none':
      return 'undefined';
  }
}

/** A class with class-validator metadata: what `@MessageBody()` would validate. */
function isValidatedClass(type: unknown): boolean {
  return isDto(type);
}

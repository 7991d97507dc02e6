/**
 * `createApp`: scan -> resolve -> compile -> bind. Everything that can be decided about a
 * gateway is decided here, once.
 * @module
 */
import type { Server as HttpServer } from 'node:http';
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import {
  Server,
  type AdapterConstructor,
  type Namespace,
  type ServerOptions,
  type Socket,
} from '../server';
import { bindNamespace, type BoundGateway, type NamespaceBinding } from './bind-namespace';
import { Connections } from './connections';
import { callStartHook, withHooks } from './app-hooks';
import { WiregateApp } from './app';
import {
  createAppContainer,
  registerPerConnection,
  registerSingletons,
  resolveClass,
  singletonTokens,
} from './container';
import { formatDebugTable } from './debug-table';
import { EnhancerResolver } from './enhancers';
import { bootstrapError } from './exceptions/bootstrap-error';
import type { CanActivate } from './interfaces/guard';
import type { ExceptionFilter } from './interfaces/exception-filter';
import type { Interceptor } from './interfaces/interceptor';
import type { PipeTransform } from './interfaces/pipe';
import type { ClassOrInstance, Type } from './interfaces/types';
import {
  compileHandler,
  type CallHandlerMode,
  type CompiledHandler,
} from './pipeline/compile-handler';
import type { Logger } from './pipeline/exceptions';
import type { ReplyMode } from './pipeline/reply';
import type { ErrorMode } from './pipeline/error-reply';
import { DEFAULT_VALIDATION, type ValidationSettings } from './pipeline/validation';
import { Reflector } from './reflector';
import { collectModules, type CollectedModules } from './di/collect';
import type { DynamicModule } from './di/module';
import { registerProviders, type Provider } from './di/providers';
import { isRequestScoped, registerPerConnectionClass } from './di/request-scope';
import { resolveAppEnhancers, splitAppEnhancers } from './di/app-enhancers';
import { ModuleRef } from './di/module-ref';
import { scanGateway, type GatewayPlan, type HandlerPlan } from './scanner';
import { describeNamespace, namespaceKey, settings, type AppSettings } from './app-settings';
import { createServers, listenGatewayPorts } from './servers';

/** Options of `createApp`. */
export interface AppOptions {
  /** Gateway classes (decorated with `@WebSocketGateway()`). Required unless `modules` is given. */
  gateways?: Type[];
  /** `@Module()` classes (or dynamic modules): their gateways and providers, and those of their imports. */
  modules?: (Type | DynamicModule | Promise<DynamicModule>)[];
  /** Providers for the app container: classes or `{ provide, useClass | useValue | useFactory | useExisting }`. */
  providers?: Provider[];
  /** Your tsyringe container; the app uses a child of it (default: a child of tsyringe's global container). */
  container?: DependencyContainer;
  /** Attach to this HTTP server instead of creating one in `listen`. */
  httpServer?: HttpServer;
  /** Listen on this port right away. */
  port?: number;
  /** Socket-server options (win over gateways' `serverOptions`). */
  serverOptions?: ServerOptions;
  /** Adapter constructor, e.g. the Redis adapter. */
  adapter?: AdapterConstructor;
  /** Guards for every gateway: at connection time and before every handler. */
  guards?: ClassOrInstance<CanActivate>[];
  /** Pipes for every `@MessageBody()` parameter (after validation). */
  pipes?: ClassOrInstance<PipeTransform>[];
  /** Interceptors around every handler (outermost first). */
  interceptors?: ClassOrInstance<Interceptor>[];
  /** Filters tried after method and class filters. */
  filters?: ClassOrInstance<ExceptionFilter>[];
  /** Validation options for DTO parameters, or `false` to turn validation off (default: whitelist + forbidNonWhitelisted). */
  validation?: ValidationSettings | false;
  /** Answer with `WG_ERR_HANDLER_TIMEOUT` when an async guard/pipe/handler takes longer than this (ms). */
  handlerTimeout?: number;
  /** Print a table of namespaces, events, guards and pipes at startup. */
  debug?: boolean;
  /** Where unknown errors and the debug table go (default `console`). */
  logger?: Logger;
  /**
   * How handler results are answered. `'nestjs'` (default): as NestJS does — several
   * client arguments reach `@MessageBody()` as an array, `null`/`undefined` answers
   * nothing, a result with a truthy `event` is emitted instead of acked. `'wiregate'`:
   * the payload is the first argument and every acked message is answered
   * (docs/handlers-and-replies.md).
   */
  replies?: ReplyMode;
  /**
   * The shape of error replies. `'wiregate'` (default): `{ error: { code, message,
   * details? } }` through the ack, else the `exception` event. `'nestjs'`: NestJS's
   * `exception` event, `{ status: 'error', message, cause: { pattern, data } }`, and no
   * ack — for clients written against a NestJS server (docs/errors.md).
   */
  errors?: ErrorMode;
  /**
   * What `next.handle()` returns to interceptors. `'observable'` (default): an rxjs
   * Observable of the rest of the chain, as in NestJS (`next.handle().pipe(map(…))`),
   * which can also be awaited; rxjs must be installed when any handler has interceptors.
   * `'value'`: the handler's value, or a promise of it, without rxjs.
   */
  callHandler?: CallHandlerMode;
}

/** A running (or ready to listen) application. */
export interface App {
  /** The socket layer's server (the one `listen` binds). */
  readonly server: Server;
  /** Every socket server by port: 0 is `server`, others serve `@WebSocketGateway(port)` gateways. */
  readonly servers: ReadonlyMap<number, Server>;
  /** The app's own container (a child of yours). */
  readonly container: DependencyContainer;
  /** Listens on `port` (0 for a free one) unless already listening; resolves with the bound port. */
  listen(port?: number): Promise<number>;
  /**
   * Calls `onModuleDestroy` and `beforeApplicationShutdown(signal)`, disconnects every
   * client, clears pending handler timers, closes the server, disposes the app container,
   * then calls `onApplicationShutdown(signal)` — NestJS's order (docs/lifecycle.md).
   */
  close(signal?: string): Promise<void>;
  /** Closes the app (with the signal's name) when the process receives one of `signals`, then lets the signal end the process, as NestJS does. */
  enableShutdownHooks(signals?: string[]): this;
  /** Resolves a token from the app container (`app.get(ChatService)`). */
  get<T>(token: InjectionToken<T>): T;
}

/**
 * Builds an app from gateway classes: reads their metadata, resolves them and their
 * guards, pipes, interceptors and filters through tsyringe, compiles every handler and
 * binds it to the socket server.
 *
 * @example
 * const app = await createApp({ gateways: [ChatGateway], handlerTimeout: 5000 });
 * await app.listen(3000);
 * @throws WiregateError `WG_ERR_BOOTSTRAP` naming the class/method/parameter at fault.
 */
export async function createApp(options: AppOptions): Promise<App> {
  const opts = settings(options);
  const collected = await collectModules(options.modules ?? []);
  const gatewayClasses = unique([...collected.gateways, ...(options.gateways ?? [])]);
  const plans = gatewayClasses.map(scanGateway);
  checkConflicts(plans);
  for (const plan of plans)
    for (const warning of plan.warnings)
      (opts.logger.warn ?? opts.logger.log).call(opts.logger, `[wiregate] ${warning}`);
  const container = createAppContainer(options.container);
  container.registerInstance(Reflector, new Reflector());
  const split = splitAppEnhancers([...collected.providers, ...(options.providers ?? [])]);
  await registerProviders(container, split.providers);
  for (const plan of plans)
    for (const h of plan.handlers)
      for (const p of h.params)
        if (p.kind === 'connection') registerPerConnection(container, p.token);
  const connections = new Connections(container, opts.logger);
  container.registerInstance(ModuleRef, new ModuleRef(container, connections));
  // APP_* providers come after createApp's own lists, as NestJS's follow useGlobal*().
  const fromModules = await resolveAppEnhancers(container, split.enhancers);
  const all: AppSettings = {
    ...opts,
    guards: [...opts.guards, ...fromModules.guards],
    pipes: [...opts.pipes, ...fromModules.pipes],
    interceptors: [...opts.interceptors, ...fromModules.interceptors],
    filters: [...opts.filters, ...fromModules.filters],
  };
  const bindings = buildBindings(plans, container, all, connections);
  const servers = createServers(options, plans);
  const io = servers.get(0) as Server;
  const app = new WiregateApp(
    servers,
    container,
    options.httpServer ?? null,
    connections,
    opts.logger,
  );
  try {
    const { adapter } = options;
    if (adapter !== undefined) for (const server of servers.values()) server.adapter(adapter);
    const serverOf = (binding: NamespaceBinding): Server => servers.get(binding.port) ?? io;
    const namespaces = bindings.map((binding) =>
      bindNamespace(serverOf(binding), binding, connections, opts),
    );
    bindings.forEach((binding, i) =>
      binding.gateways.forEach((g) => injectServer(g, serverOf(binding), namespaces[i])),
    );
    await listenGatewayPorts(servers);
    for (const [i, binding] of bindings.entries())
      for (const g of binding.gateways) await callAfterInit(g, namespaces[i]);
    app.hooked = hookGroups(container, collected, bindings);
    await callStartHook(app.hooked.flat(), 'onModuleInit');
    await callStartHook(app.hooked.flat(), 'onApplicationBootstrap');
    if (options.debug === true)
      opts.logger.log(`[wiregate] handlers:\n${formatDebugTable(bindings)}`);
    if (options.port !== undefined) await app.listen(options.port);
  } catch (err) {
    // Leave nothing running behind a failed bootstrap (no shutdown hooks: start-up did not finish).
    app.hooked = [];
    await app.close().catch(() => undefined);
    throw err;
  }
  return app;
}

/** Gateways share a binding when they share a port and a namespace: one key object for each pair. */
function bindingKeys(): (plan: GatewayPlan) => object {
  const portKeys = new Map<number, Map<unknown, object>>();
  return (plan) => {
    const ns = namespaceKey(plan.namespace);
    let keys = portKeys.get(plan.port);
    if (keys === undefined) portKeys.set(plan.port, (keys = new Map()));
    let key = keys.get(ns);
    if (key === undefined) keys.set(ns, (key = { port: plan.port, ns }));
    return key;
  };
}

/** Two handlers for one event in one namespace: refuse to start, naming both. */
function checkConflicts(plans: readonly GatewayPlan[]): void {
  const bindingKey = bindingKeys();
  const seen = new Map<unknown, Map<string, HandlerPlan>>();
  for (const plan of plans) {
    const key = bindingKey(plan);
    const events = seen.get(key) ?? new Map<string, HandlerPlan>();
    seen.set(key, events);
    for (const h of plan.handlers) {
      const other = events.get(h.event);
      if (other !== undefined) {
        throw bootstrapError(
          `Event "${h.event}" in namespace ${describeNamespace(plan.namespace)} has two handlers: ${other.gateway.name}.${other.method} and ${plan.name}.${h.method}. Keep one, or move one gateway to another namespace`,
        );
      }
      events.set(h.event, h);
    }
  }
}

function buildBindings(
  plans: readonly GatewayPlan[],
  container: DependencyContainer,
  opts: AppSettings,
  connections: Connections,
): NamespaceBinding[] {
  const resolver = new EnhancerResolver(container);
  const app = {
    guards: resolver.resolveAll<CanActivate>(opts.guards, 'guard', 'createApp'),
    pipes: resolver.resolveAll<PipeTransform>(opts.pipes, 'pipe', 'createApp'),
    interceptors: resolver.resolveAll<Interceptor>(opts.interceptors, 'interceptor', 'createApp'),
    filters: resolver.resolveFilters(opts.filters, 'createApp'),
  };
  const bindingKey = bindingKeys();
  const bindings = new Map<unknown, NamespaceBinding>();
  for (const plan of plans) {
    const perConnection = isRequestScoped(plan.target);
    const refs: ServerRefs = { io: null, nsp: null };
    if (perConnection) {
      // One instance per connection, as NestJS makes a gateway with request-scoped dependencies.
      registerPerConnectionClass(container, plan.target, (created) =>
        applyServerRefs(plan, created, refs),
      );
      registerSingletons(container, plan.target);
    }
    const instance = perConnection
      ? null
      : (resolveClass(container, plan.target, 'gateway') as Record<string, unknown>);
    const instanceFor =
      instance !== null
        ? () => instance
        : (socket: Socket) => connections.resolve(socket, plan.target) as Record<string, unknown>;
    const where = plan.name;
    const cls = {
      guards: [...app.guards, ...resolver.resolveAll<CanActivate>(plan.guards, 'guard', where)],
      pipes: [...app.pipes, ...resolver.resolveAll<PipeTransform>(plan.pipes, 'pipe', where)],
      interceptors: [
        ...app.interceptors,
        ...resolver.resolveAll<Interceptor>(plan.interceptors, 'interceptor', where),
      ],
      filters: [...resolver.resolveFilters(plan.filters, where), ...app.filters],
    };
    const key = bindingKey(plan);
    const binding = bindings.get(key) ?? {
      spec: plan.namespace,
      port: plan.port,
      gateways: [],
      handlers: [],
    };
    bindings.set(key, binding);
    const info = {
      target: plan.target,
      method: null,
      event: null,
      metadata: plan.metadata,
      scopes: connections,
    };
    const connectionGuards = newGuards(binding.gateways, cls.guards);
    binding.gateways.push({
      plan,
      instance,
      instanceFor,
      refs,
      info,
      connectionGuards,
      filters: cls.filters,
    } satisfies BoundGateway);
    for (const h of plan.handlers)
      binding.handlers.push(compileOne(h, instance, cls, resolver, opts, connections));
  }
  return [...bindings.values()];
}

/**
 * At connection time a guard instance runs once per namespace, even when app-wide or
 * shared by several gateways of that namespace.
 */
function newGuards(
  earlier: readonly BoundGateway[],
  guards: readonly CanActivate[],
): CanActivate[] {
  const seen = new Set(earlier.flatMap((g) => g.connectionGuards));
  return unique(guards).filter((guard) => !seen.has(guard));
}

/** The same guard instance listed twice (app-wide and on a class, say) runs once, first place kept. */
function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function compileOne(
  h: HandlerPlan,
  instance: object | null,
  cls: {
    guards: CanActivate[];
    pipes: PipeTransform[];
    interceptors: Interceptor[];
    filters: ReturnType<EnhancerResolver['resolveFilters']>;
  },
  resolver: EnhancerResolver,
  opts: AppSettings,
  connections: Connections,
): CompiledHandler {
  const where = `${h.gateway.name}.${h.method}`;
  return compileHandler(h, {
    instance,
    guards: unique([...cls.guards, ...resolver.resolveAll<CanActivate>(h.guards, 'guard', where)]),
    interceptors: [
      ...cls.interceptors,
      ...resolver.resolveAll<Interceptor>(h.interceptors, 'interceptor', where),
    ],
    filters: [...resolver.resolveFilters(h.filters, where), ...cls.filters],
    sharedPipes: [...cls.pipes, ...resolver.resolveAll<PipeTransform>(h.pipes, 'pipe', where)],
    resolvePipe: (pipe) => resolver.resolve<PipeTransform>(pipe, 'pipe', where),
    validation: mergeValidation(opts.validation, h.gateway.validation, h.validation),
    timeoutMs: opts.handlerTimeout,
    inFlight: connections.inFlight,
    logger: opts.logger,
    scopes: connections,
    replies: opts.replies,
    errors: opts.errors,
    callHandler: opts.callHandler,
  });
}

/** App, then class, then handler options; `false` at any level turns validation off below it. */
function mergeValidation(
  ...levels: (ValidationSettings | false | undefined)[]
): ValidationSettings | false {
  let merged = { ...DEFAULT_VALIDATION } as ValidationSettings | false;
  for (const level of levels) {
    if (level === undefined) continue;
    const base: ValidationSettings = merged === false ? DEFAULT_VALIDATION : merged;
    merged = level === false ? false : { ...base, ...level };
  }
  return merged;
}

/**
 * NestJS's hook order, as groups: one per module (imported ones first) holding its
 * providers and gateways, then the module class; then one group for what no module
 * lists. Start-up hooks run the groups in order, shutdown hooks in reverse (members in
 * order), as NestJS does. Only one-per-app instances have hooks called (as in NestJS,
 * not request-scoped or transient ones).
 */
function hookGroups(
  container: DependencyContainer,
  collected: CollectedModules,
  bindings: readonly NamespaceBinding[],
): object[][] {
  const singletons = new Set(singletonTokens(container));
  const gatewayOf = new Map(
    bindings.flatMap((b) => b.gateways.map((g) => [g.plan.target, g.instance] as const)),
  );
  const groups: unknown[][] = [];
  for (const { module, tokens, gateways } of collected.members) {
    const group: unknown[] = [];
    for (const token of tokens)
      if (singletons.has(token as InjectionToken<unknown>))
        group.push(resolveProvider(container, token as InjectionToken<unknown>));
    for (const gateway of gateways) group.push(gatewayOf.get(gateway));
    group.push(resolveClass(container, module, 'module'));
    groups.push(group);
  }
  groups.push([
    ...[...singletons].map((token) => resolveProvider(container, token)),
    ...gatewayOf.values(),
  ]);
  const seen = new Set<object>();
  return groups.map((group) => withHooks(group).filter((o) => !seen.has(o) && seen.add(o)));
}

/** The server and namespace a gateway's `@WebSocketServer()` properties receive, once bound. */
interface ServerRefs {
  io: Server | null;
  nsp: Namespace | null;
}

/**
 * Builds a provider at start-up, as NestJS does, with an error that names it.
 * @throws WiregateError `WG_ERR_BOOTSTRAP`
 */
function resolveProvider(container: DependencyContainer, token: InjectionToken<unknown>): unknown {
  try {
    return container.resolve(token);
  } catch (err) {
    throw bootstrapError(`Cannot create provider ${describeToken(token)}`, err);
  }
}

function describeToken(token: unknown): string {
  return typeof token === 'function' ? (token as Type).name : String(token);
}

/** `@WebSocketServer()` properties: the `Server` when declared with that type, else the namespace. */
function injectServer(
  gateway: BoundGateway & { refs: ServerRefs },
  io: Server,
  nsp: Namespace,
): void {
  gateway.refs.io = io;
  gateway.refs.nsp = nsp;
  if (gateway.instance !== null) applyServerRefs(gateway.plan, gateway.instance, gateway.refs);
}

function applyServerRefs(plan: GatewayPlan, instance: object, refs: ServerRefs): void {
  for (const { property, type } of plan.serverProperties) {
    (instance as Record<string | symbol, unknown>)[property] = type === Server ? refs.io : refs.nsp;
  }
}

async function callAfterInit(gateway: BoundGateway, nsp: Namespace): Promise<void> {
  // A request-scoped gateway has no instance before its first connection.
  if (!gateway.plan.hasAfterInit || gateway.instance === null) return;
  try {
    await (gateway.instance.afterInit as (n: Namespace) => unknown)(nsp);
  } catch (err) {
    throw bootstrapError(`${gateway.plan.name}.afterInit failed`, err);
  }
}

/**
 * Binds the compiled handlers of one namespace to the socket layer: connection guards
 * as namespace middleware, one listener per event, setup (auto-joins, handleConnection)
 * with message holding, and disconnect handling.
 * @module
 */
import type { Namespace, Server, Socket } from '../server';
import type { ErrorCode } from '../shared/errors';
import type { WsErrorReply } from './interfaces/reply';
import type { Connections } from './connections';
import type { NamespaceSpec } from './decorators/web-socket-gateway';
import type { CanActivate } from './interfaces/guard';
import type { CompiledHandler } from './pipeline/compile-handler';
import { WsContext, type HandlerInfo } from './pipeline/context';
import { answerError, type ErrorMode } from './pipeline/error-reply';
import { toErrorBody, type Logger, type ResolvedFilter } from './pipeline/exceptions';
import { runGuards } from './pipeline/guards';
import { isThenable } from './pipeline/thenable';
import type { GatewayPlan } from './scanner';

/** A gateway with its instance and what runs for it at connection time. */
export interface BoundGateway {
  plan: GatewayPlan;
  /** The gateway, or `null` when it is request-scoped (one instance per connection). */
  instance: Record<string, unknown> | null;
  /** The instance that serves `socket`: `instance`, or the connection's own. */
  instanceFor: (socket: Socket) => Record<string, unknown>;
  /** Where `@WebSocketServer()` values are kept for instances created later. */
  refs: { io: Server | null; nsp: Namespace | null };
  /** Context info for connection-time guards (class metadata, no handler). */
  info: HandlerInfo;
  /** App guards then class guards: they run at connection time too. */
  connectionGuards: readonly CanActivate[];
  /** Class then app filters: they answer a failing `handleConnection`. */
  filters: readonly ResolvedFilter[];
}

/** Everything bound to one namespace (several gateways may share it). */
export interface NamespaceBinding {
  spec: NamespaceSpec;
  /** The server's port: 0 for the app's own. */
  port: number;
  gateways: BoundGateway[];
  handlers: CompiledHandler[];
}

/** One step of a socket's setup, with the gateway whose filters answer its failure. */
interface Setup {
  gateway: BoundGateway;
  run: (socket: Socket) => unknown;
}

/** What connection handling needs besides the binding. */
export interface BindSettings {
  logger: Logger;
  errors: ErrorMode;
}

/** Installs one namespace's middleware and connection handling; returns the namespace. */
export function bindNamespace(
  io: Server,
  binding: NamespaceBinding,
  connections: Connections,
  settings: BindSettings,
): Namespace {
  const { logger } = settings;
  // The socket layer's `of` takes a name, a RegExp or a function, like socket.io's.
  const nsp = io.of(binding.spec as string);
  const groups = binding.gateways.filter((g) => g.connectionGuards.length > 0);
  if (groups.length > 0)
    nsp.use((socket, next) =>
      guardConnection(groups, socket, refuseOrContinue(connections, socket, next), logger),
    );
  const listeners = binding.handlers.map(
    (h) => [h.event, createListener(h.run, connections)] as const,
  );
  const setups = binding.gateways.flatMap((g) => compileSetup(g));
  const onDisconnect = function (this: Socket, reason: string): void {
    socketOnDisconnect(binding, connections, this, reason, logger);
  };
  // docs/errors.md: an ack is always answered, even for an event no handler subscribes to.
  // NestJS's error mode keeps NestJS's behaviour (the event is ignored).
  const onUnhandled = settings.errors === 'wiregate' ? answerUnknownEvent : null;
  nsp.on('connection', (socket: Socket) => {
    for (const [event, listener] of listeners) socket.on(event, listener);
    socket.onUnhandledEvent = onUnhandled;
    socket.on('disconnect', onDisconnect);
    startSetup(setups, socket, connections, settings);
  });
  return nsp;
}

/**
 * Answers the ack of an event no handler (nor listener) of the namespace took, in the
 * wiregate error shape; an event without an ack stays ignored. Shared by every socket.
 */
function answerUnknownEvent(_socket: Socket, args: unknown[]): void {
  const ack = args[args.length - 1];
  if (typeof ack !== 'function') return;
  const event = String(args[0]);
  const code: ErrorCode = 'WG_ERR_UNKNOWN_EVENT';
  const reply: WsErrorReply = { error: { code, message: `No handler for event "${event}"` } };
  (ack as (reply: WsErrorReply) => void)(reply);
}

/**
 * One listener per event, shared by every socket: the socket layer calls listeners with
 * the socket as `this` (EventEmitter semantics), so no closure is created per connection.
 */
function createListener(run: CompiledHandler['run'], connections: Connections) {
  return function (this: Socket, ...args: unknown[]): void {
    if (!connections.queue(this, run, args)) run(this, args);
  };
}

/** A refused socket never disconnects, so dispose the container a guard may have created for it now. */
function refuseOrContinue(
  connections: Connections,
  socket: Socket,
  next: (err?: Error) => void,
): (err?: Error) => void {
  return (err) => {
    if (err !== undefined) connections.dispose(socket);
    next(err);
  };
}

function guardConnection(
  groups: readonly BoundGateway[],
  socket: Socket,
  next: (err?: Error) => void,
  logger: Logger,
): void {
  let result: unknown;
  try {
    result = runGroups(groups, socket, 0);
  } catch (err) {
    next(toConnectError(err, groups[0], socket, logger));
    return;
  }
  if (!isThenable(result)) return next();
  result.then(
    () => next(),
    (err: unknown) => next(toConnectError(err, groups[0], socket, logger)),
  );
}

function runGroups(groups: readonly BoundGateway[], socket: Socket, from: number): unknown {
  for (let i = from; i < groups.length; i++) {
    const r = runGuards(
      WsContext.forConnection(socket, groups[i].info),
      groups[i].connectionGuards,
      0,
    );
    if (r !== true) return r.then(() => runGroups(groups, socket, i + 1));
  }
  return undefined;
}

/** `connect_error` carries `message` and `data`; data is the usual error body. */
function toConnectError(
  err: unknown,
  gateway: BoundGateway,
  socket: Socket,
  logger: Logger,
): Error {
  const body = toErrorBody(err, WsContext.forConnection(socket, gateway.info), null, logger);
  return Object.assign(new Error(body.message), { data: body });
}

function compileSetup(gateway: BoundGateway): Setup[] {
  const setups: Setup[] = [];
  const rooms = gateway.plan.options.rooms;
  if (typeof rooms === 'function') {
    setups.push({
      gateway,
      run: (socket) => {
        const r = rooms(socket);
        return isThenable(r)
          ? Promise.resolve(r).then((names) => socket.join(names as string[]))
          : socket.join(r as string[]);
      },
    });
  } else if (rooms !== undefined && rooms.length > 0) {
    const names = [...rooms];
    setups.push({ gateway, run: (socket) => socket.join(names) });
  }
  if (gateway.plan.hasHandleConnection) {
    const { instanceFor } = gateway;
    setups.push({
      gateway,
      run: (socket) => {
        const instance = instanceFor(socket);
        return (instance.handleConnection as (s: Socket) => unknown).call(instance, socket);
      },
    });
  }
  return setups;
}

/** A setup failure: which gateway's step failed, and with what. */
class SetupFailure {
  constructor(
    readonly gateway: BoundGateway,
    readonly error: unknown,
  ) {}
}

/** Runs the setup steps; holds the socket's messages only if one of them goes async. */
function startSetup(
  setups: readonly Setup[],
  socket: Socket,
  connections: Connections,
  settings: BindSettings,
): void {
  let result: unknown;
  try {
    result = runSetups(setups, socket, 0);
  } catch (err) {
    abortConnection(socket, err, settings);
    return;
  }
  if (!isThenable(result)) return;
  connections.hold(socket);
  result.then(
    () => connections.release(socket),
    (err: unknown) => {
      connections.dispose(socket);
      abortConnection(socket, err, settings);
    },
  );
}

function runSetups(setups: readonly Setup[], socket: Socket, from: number): unknown {
  for (let i = from; i < setups.length; i++) {
    const { gateway, run } = setups[i];
    let r: unknown;
    try {
      r = run(socket);
    } catch (err) {
      throw new SetupFailure(gateway, err);
    }
    if (isThenable(r))
      return Promise.resolve(r).then(
        () => runSetups(setups, socket, i + 1),
        (err: unknown) => {
          throw err instanceof SetupFailure ? err : new SetupFailure(gateway, err);
        },
      );
  }
  return undefined;
}

/**
 * A failed setup step (auto-join or `handleConnection`) is answered like a failed
 * message — the gateway's filters, then the `exception` event in the app's error shape
 * (unknown errors logged) — then the socket is disconnected: its setup did not finish.
 */
function abortConnection(socket: Socket, failure: unknown, settings: BindSettings): void {
  if (!(failure instanceof SetupFailure)) {
    settings.logger.error(`[wiregate] connection setup failed for socket ${socket.id}:`, failure);
    socket.disconnect();
    return;
  }
  const { gateway, error } = failure;
  if (socket.connected) {
    const ctx = WsContext.forConnection(socket, gateway.info);
    try {
      answerError(ctx, error, gateway.filters, settings.logger, settings.errors);
    } catch (err) {
      settings.logger.error(`[wiregate] answering a failed connection setup failed:`, err);
    }
  }
  socket.disconnect();
}

function socketOnDisconnect(
  binding: NamespaceBinding,
  connections: Connections,
  socket: Socket,
  reason: string,
  logger: Logger,
): void {
  for (const gateway of binding.gateways) {
    if (!gateway.plan.hasHandleDisconnect) continue;
    try {
      const instance = gateway.instanceFor(socket);
      const r = (instance.handleDisconnect as (s: Socket, why: string) => unknown).call(
        instance,
        socket,
        reason,
      );
      if (isThenable(r))
        r.then(undefined, (err: unknown) =>
          logger.error(`[wiregate] ${gateway.plan.name}.handleDisconnect failed:`, err),
        );
    } catch (err) {
      logger.error(`[wiregate] ${gateway.plan.name}.handleDisconnect failed:`, err);
    }
  }
  connections.dispose(socket);
}

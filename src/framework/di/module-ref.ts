/**
 * `ModuleRef` and `ContextIdFactory`: NestJS's run-time access to providers, on the app's
 * container, with a context id standing for a connection.
 * @module
 */
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { Type } from '../interfaces/types';
import type { Socket } from '../../server';

/** Identifies a DI context: a connection (`getByRequest(socket)`) or one you created. */
export interface ContextId {
  readonly id: number;
}

let nextId = 1;
const byRequest = new WeakMap<object, ContextId>();

/** NestJS's factory of context ids. */
export class ContextIdFactory {
  /** A new context: `moduleRef.resolve(token, id)` builds request-scoped providers anew for it. */
  static create(): ContextId {
    return { id: nextId++ };
  }

  /** The context of a connection (for a gateway, NestJS's request is the socket): the connection's own container. */
  static getByRequest(request: object): ContextId {
    let id = byRequest.get(request);
    if (id === undefined) {
      id = { id: nextId++ };
      byRequest.set(request, id);
      sockets.set(id, request);
    }
    return id;
  }
}

/** The socket a context id was made for, if any. */
const sockets = new WeakMap<ContextId, object>();

/** How `ModuleRef` reaches a connection's container. */
export interface ConnectionContainers {
  containerOf(socket: Socket): DependencyContainer;
}

/**
 * Injectable access to the app's providers at run time, as NestJS's `ModuleRef`. Modules
 * do not encapsulate here, so `{ strict }` changes nothing.
 *
 * @example
 * constructor(private readonly moduleRef: ModuleRef) {}
 * onModuleInit() { this.service = this.moduleRef.get(Service); }
 */
export class ModuleRef {
  private readonly contexts = new WeakMap<ContextId, DependencyContainer>();

  constructor(
    private readonly container: DependencyContainer,
    private readonly connections: ConnectionContainers,
  ) {}

  /** A one-per-app (or value) provider. */
  get<T>(token: InjectionToken<T>, _options?: { strict?: boolean }): T {
    return this.container.resolve(token);
  }

  /**
   * A request-scoped or transient provider: per `contextId` (a connection's, from
   * `ContextIdFactory.getByRequest(socket)`, or a new one by default); one-per-app
   * providers are the app's instance.
   */
  async resolve<T>(
    token: InjectionToken<T>,
    contextId: ContextId = ContextIdFactory.create(),
    _options?: { strict?: boolean },
  ): Promise<T> {
    return this.containerOf(contextId).resolve(token);
  }

  /** A new instance of `type`, its dependencies injected (it need not be a provider). */
  async create<T>(type: Type<T>): Promise<T> {
    const scope = this.container.createChildContainer();
    scope.register(type, { useClass: type });
    return scope.resolve(type);
  }

  /** Makes `instance` the value of `token` within `contextId` (NestJS's `registerRequestByContextId`). */
  registerRequestByContextId<T>(instance: T, contextId: ContextId): void {
    this.containerOf(contextId).register('REQUEST', { useValue: instance });
  }

  private containerOf(contextId: ContextId): DependencyContainer {
    const socket = sockets.get(contextId);
    if (socket !== undefined) return this.connections.containerOf(socket as Socket);
    let scope = this.contexts.get(contextId);
    if (scope === undefined) {
      scope = this.container.createChildContainer();
      this.contexts.set(contextId, scope);
    }
    return scope;
  }
}

/**
 * Per-connection state the framework keeps outside the socket: the per-connection
 * containers, the messages held while a connection is still being set up and the
 * armed handler timers.
 * Nothing is added to the socket or to `socket.data`.
 * @module
 */
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { Socket } from '../server';
import type { Logger } from './pipeline/exceptions';
import type { ScopeResolver } from './pipeline/context';
import { InFlight } from './pipeline/in-flight';
import { REQUEST } from './di/request-scope';

/**
 * Messages held per socket while its setup runs. A client that sends more before setup
 * finishes is disconnected: held messages must not grow server memory without limit.
 */
export const MAX_HELD_MESSAGES = 256;

/** A held message: the handler to run and the listener's arguments. */
type HeldRun = (socket: Socket, args: unknown[]) => void;

/** Per-app registry of per-connection containers and held message queues. */
export class Connections implements ScopeResolver {
  /** Armed `handlerTimeout` timers, cleared when their socket disconnects. */
  readonly inFlight = new InFlight();
  private readonly containers = new WeakMap<Socket, DependencyContainer>();
  /** Sockets whose setup (async guards, joins, `handleConnection`) has not finished. */
  private readonly held = new Map<Socket, unknown[]>();

  constructor(
    private readonly appContainer: DependencyContainer,
    private readonly logger: Logger,
  ) {}

  /** Resolves `token` from the socket's own container. */
  resolve<T>(socket: Socket, token: InjectionToken<T>): T {
    return this.containerOf(socket).resolve(token);
  }

  /** The socket's own container, created on first use. */
  containerOf(socket: Socket): DependencyContainer {
    let scope = this.containers.get(socket);
    if (scope === undefined) {
      scope = this.appContainer.createChildContainer();
      // NestJS's REQUEST is, for a gateway, the client socket.
      scope.register(REQUEST, { useValue: socket });
      this.containers.set(socket, scope);
    }
    return scope;
  }

  /** Starts holding the socket's messages. */
  hold(socket: Socket): void {
    this.held.set(socket, []);
  }

  /**
   * Queues the message if the socket is held; returns false (run it now) otherwise.
   * Costs one `size` check per message while no socket is being set up.
   */
  queue(socket: Socket, run: HeldRun, args: unknown[]): boolean {
    if (this.held.size === 0) return false;
    const queue = this.held.get(socket);
    if (queue === undefined) return false;
    if (queue.length >= MAX_HELD_MESSAGES * 2) {
      this.held.delete(socket);
      this.logger.error(
        `[wiregate] socket ${socket.id} sent more than ${MAX_HELD_MESSAGES} messages before its connection setup finished; disconnecting`,
      );
      socket.disconnect();
      return true;
    }
    queue.push(run, args);
    return true;
  }

  /** Stops holding and dispatches what arrived meanwhile, in arrival order. */
  release(socket: Socket): void {
    const queue = this.held.get(socket);
    this.held.delete(socket);
    if (queue === undefined || !socket.connected) return;
    for (let i = 0; i < queue.length; i += 2)
      (queue[i] as HeldRun)(socket, queue[i + 1] as unknown[]);
  }

  /** Forgets a disconnected socket, clears its handler timers and disposes its container, if one was created. */
  dispose(socket: Socket): void {
    this.held.delete(socket);
    this.inFlight.clearSocket(socket);
    const scope = this.containers.get(socket);
    if (scope === undefined) return;
    this.containers.delete(socket);
    let done: unknown;
    try {
      done = scope.dispose();
    } catch (err) {
      this.logger.error('[wiregate] disposing a connection container failed:', err);
      return;
    }
    if (done instanceof Promise) {
      // Rejections are reported here; nothing else waits for the disposal.
      done.then(undefined, (err: unknown) =>
        this.logger.error('[wiregate] disposing a connection container failed:', err),
      );
    }
  }
}

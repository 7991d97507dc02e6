/**
 * The `handlerTimeout` timers still armed, by socket. A disconnect clears the socket's
 * timers (its answer has nowhere to go) and `app.close()` clears whatever is left, so no
 * timer of a pending guard or handler outlives the app.
 * @module
 */
import type { Socket } from '../../server';
import type { WsContext } from './context';

/** Per-app registry of contexts whose timeout timer is armed. */
export class InFlight {
  /** Only sockets with an armed timer have an entry; it goes when their last timer does. */
  private readonly bySocket = new Map<Socket, Set<WsContext>>();

  /** Records a context whose `timer` was just armed. */
  add(ctx: WsContext): void {
    let set = this.bySocket.get(ctx.socket);
    if (set === undefined) {
      set = new Set();
      this.bySocket.set(ctx.socket, set);
    }
    set.add(ctx);
  }

  /** Forgets a context whose timer was cleared or has fired. */
  delete(ctx: WsContext): void {
    const set = this.bySocket.get(ctx.socket);
    if (set === undefined) return;
    set.delete(ctx);
    if (set.size === 0) this.bySocket.delete(ctx.socket);
  }

  /** Clears every timer armed for messages of `socket` (it disconnected). */
  clearSocket(socket: Socket): void {
    const set = this.bySocket.get(socket);
    if (set === undefined) return;
    this.bySocket.delete(socket);
    for (const ctx of set) stop(ctx);
  }

  /** Clears every timer still armed (the app is closing). */
  clearAll(): void {
    for (const socket of [...this.bySocket.keys()]) this.clearSocket(socket);
  }
}

/** Clears the context's timer, if armed, and takes it out of its app's registry. */
export function disarm(ctx: WsContext): void {
  if (ctx.timer === null) return;
  stop(ctx);
  ctx.info.inFlight?.delete(ctx);
}

function stop(ctx: WsContext): void {
  if (ctx.timer !== null) clearTimeout(ctx.timer);
  ctx.timer = null;
}

// Official socket.io-client clients for the sample tests, each closed by `closeAll()`.
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';

export type ClientOptions = Partial<ManagerOptions & SocketOptions>;

/** Clients opened by one test; `closeAll` disconnects every one of them. */
export class Clients {
  private readonly opened: Socket[] = [];

  /** Opens a client (websocket, no reconnection) and resolves once it is connected. */
  connect(url: string, options: ClientOptions = {}): Promise<Socket> {
    const socket = this.open(url, options);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  }

  /** Opens a client expected to be refused; resolves with the `connect_error` error. */
  refused(url: string, options: ClientOptions = {}): Promise<Error & { data?: unknown }> {
    const socket = this.open(url, options);
    return new Promise((resolve, reject) => {
      socket.once('connect_error', resolve);
      socket.once('connect', () =>
        reject(new Error(`${url} accepted a connection it should refuse`)),
      );
    });
  }

  closeAll(): void {
    for (const socket of this.opened.splice(0)) socket.disconnect();
  }

  private open(url: string, options: ClientOptions): Socket {
    const socket = io(url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      ...options,
    });
    this.opened.push(socket);
    return socket;
  }
}

/** Resolves with the first argument of each of the next `count` `event`s (fails after `ms`). */
export function nextEvents<T>(
  socket: Socket,
  event: string,
  count: number,
  ms = 3000,
): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const seen: T[] = [];
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`only ${seen.length} of ${count} "${event}" events within ${ms} ms`));
    }, ms);
    function listener(value: T): void {
      seen.push(value);
      if (seen.length < count) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(seen);
    }
    socket.on(event, listener);
  });
}

// The little of socket.io-client 2.x (installed as `socket.io-client-v2`) the compat tests use;
// the package ships no types.
declare module 'socket.io-client-v2' {
  interface V2Emitter {
    on(event: string, listener: (...args: any[]) => void): this; // eslint-disable-line @typescript-eslint/no-explicit-any
    once(event: string, listener: (...args: any[]) => void): this; // eslint-disable-line @typescript-eslint/no-explicit-any
    off(event: string, listener?: (...args: any[]) => void): this; // eslint-disable-line @typescript-eslint/no-explicit-any
  }
  interface V2Engine extends V2Emitter {
    id: string;
    transport: { name: string };
    close(): void;
  }
  interface V2Manager extends V2Emitter {
    engine: V2Engine;
  }
  export interface V2Socket extends V2Emitter {
    id: string;
    connected: boolean;
    io: V2Manager;
    emit(event: string, ...args: unknown[]): this;
    close(): this;
  }
  function connect(url: string, opts?: Record<string, unknown>): V2Socket;
  export default connect;
}

/**
 * The contract between an engine session and the physical connection carrying it.
 * @module
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { EnginePacket } from '../packet';

/** Name of a transport, as in the `transport` query parameter. */
export type TransportName = 'polling' | 'websocket';

/**
 * A transport moves Engine.IO packets for one session.
 *
 * Events: `packet(packet)` for each decoded incoming packet; `error(message, description)`
 * when the connection failed or sent something undecodable (`parse error` or
 * `transport error`); `close()` when the peer went away; `drain()` when it became
 * writable again after a send.
 */
export abstract class Transport extends EventEmitter {
  /** The transport's name on the wire. */
  abstract readonly name: TransportName;
  /** Whether `send` may be called now; the session buffers packets otherwise. */
  writable = false;
  /** Whether the transport was closed (by either side). */
  isClosed = false;

  constructor(public request: IncomingMessage) {
    super();
  }

  /** Sends packets; only called while `writable`. */
  abstract send(packets: EnginePacket[]): void;

  /** Closes the transport; `discard` skips any graceful close handshake. */
  abstract close(discard?: boolean): void;

  /** Bytes handed to the OS and not yet sent, for slow-consumer checks. */
  get bufferedAmount(): number {
    return 0;
  }

  /** Releases a held request with a noop during an upgrade (polling only). */
  releaseForUpgrade(): void {}

  /** Whether a held receive request is pending (polling only). */
  get hasPendingReceive(): boolean {
    return false;
  }
}

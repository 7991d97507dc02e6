/**
 * The connection of a server with a custom `parser` (socket.io-msgpack-parser, ...): packets
 * are encoded by the server's one Encoder and decoded by a Decoder of this connection's own.
 * The default codec's connection (connection.ts) knows nothing of this.
 * @module
 */
import type { EngineSession } from '../engine';
import {
  encodeWith,
  ProtocolError,
  toDecodedPacket,
  toEngineMessages,
  type Packet,
  type ParserDecoder,
  type ParserEncoder,
  type ParserModule,
} from '../protocol';
import type { BroadcastFlags, EncodedPacket } from './adapter/adapter';
import { Connection, type ConnectionSettings, type WriteToEngineOptions } from './connection';
import type { Server } from './server';

/** A Socket.IO connection whose packets go through a custom parser. */
export class CustomParserConnection extends Connection {
  private readonly parserDecoder: ParserDecoder;

  constructor(
    server: Server,
    conn: EngineSession,
    settings: ConnectionSettings,
    parser: ParserModule,
    private readonly parserEncoder: ParserEncoder,
    private readonly failures: ParserFailureLog,
  ) {
    super(server, conn, settings);
    this.parserDecoder = new parser.Decoder();
    this.parserDecoder.on('decoded', (packet: unknown) => this.onDecoded(packet));
  }

  /** @internal */
  override writePacket(packet: Packet, flags: BroadcastFlags | undefined): void {
    this.writeEncoded(encodeWith(this.parserEncoder, packet) as unknown as EncodedPacket, flags);
  }

  /**
   * @internal Adapters built on socket.io-adapter encode with `io.encoder` (the custom Encoder)
   * and write its raw output here.
   */
  override writeToEngine(
    encodedPackets: readonly (string | Buffer)[],
    opts: WriteToEngineOptions | undefined,
  ): void {
    this.writeEncoded(toEngineMessages(encodedPackets) as unknown as EncodedPacket, opts);
  }

  /** @internal */
  override onSessionMessage(data: string | Buffer): void {
    try {
      this.parserDecoder.add(data);
    } catch (err) {
      this.onParserFailure(err);
    }
  }

  /** @internal */
  override onSessionClose(...args: Parameters<Connection['onSessionClose']>): void {
    super.onSessionClose(...args);
    try {
      this.parserDecoder.destroy?.();
    } catch {
      // A decoder failing to let go of a partial packet changes nothing: the connection is gone.
    }
  }

  private onDecoded(value: unknown): void {
    if (this.conn.readyState !== 'open') return;
    let packet: Packet;
    try {
      packet = toDecodedPacket(value);
    } catch (err) {
      return this.onParserFailure(err);
    }
    this.dispatch(packet);
  }

  /** The parser threw or produced garbage: this connection ends, and the log says why. */
  private onParserFailure(err: unknown): void {
    if (this.conn.readyState !== 'open') return;
    const cause = err instanceof Error ? err.message : String(err);
    const error =
      err instanceof ProtocolError
        ? err
        : new ProtocolError(`the custom parser could not decode a packet: ${cause}`, {
            cause: err,
          });
    this.failures.warn(error.message);
    this.onDecodeError(error);
  }
}

/** ms between two warnings about parser failures (a client sending garbage must not flood the log). */
const WARNING_INTERVAL = 1000;

/** Parser failures of one server, written as process warnings, at most one a second. */
export class ParserFailureLog {
  private lastWarning = 0;
  private suppressed = 0;

  /** Writes `message` as a `WiregateParserError` warning, or counts it for the next one. */
  warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < WARNING_INTERVAL) {
      this.suppressed++;
      return;
    }
    const more = this.suppressed > 0 ? ` (${this.suppressed} more since the last warning)` : '';
    this.lastWarning = now;
    this.suppressed = 0;
    process.emitWarning(`connection closed: ${message}${more}`, {
      type: 'WiregateParserError',
      detail: 'Do the client and the server use the same parser?',
    });
  }
}

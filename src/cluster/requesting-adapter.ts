/**
 * `RequestingAdapter`: what both cluster protocols (socket.io-adapter's `ClusterAdapter`
 * messages, and `@socket.io/redis-adapter`'s classic request/response channels) do alike: ask
 * the other servers and wait for their answers, with timeouts; answer them; report failures that
 * nobody awaits. The protocols only differ in how they write and route messages.
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Packet } from '../protocol';
import { InMemoryAdapter, type AdapterNamespace, type BroadcastOptions } from '../server';
import { closedError, countTimeoutError, timeoutError, unreachableError } from './errors';
import {
  AckBroadcastAnswers,
  ServerAnswers,
  type PendingRequest,
  type Responders,
} from './pending-requests';

/** Options every cluster adapter takes. */
export interface ClusterAdapterOptions {
  /** ms to wait for the other servers' answers (fetchSockets, serverSideEmit acks…). Default 5000. */
  requestsTimeout?: number;
}

/** Default of `requestsTimeout` (socket.io's). */
export const DEFAULT_REQUESTS_TIMEOUT = 5000;

/**
 * A room no socket is in: the "are you done?" request after socketsJoin & co asks every server
 * for its sockets in it, so the answers are empty.
 */
export const BARRIER_ROOM = '\u0000wiregate:barrier';

type Ack = (...args: unknown[]) => void;

/**
 * @internal The request bookkeeping shared by the cluster adapters. Events (only emitted when
 * someone listens): `error(err)` for failures that have no caller to reject.
 */
export abstract class RequestingAdapter extends InMemoryAdapter {
  /** This server's id in the cluster (one per namespace and process). */
  abstract readonly uid: string;
  protected readonly requestsTimeout: number;
  private readonly pending = new Map<string, PendingRequest>();
  private closed = false;
  /** Ack ids for a namespace that does not hand out its own (`nextAckId` is optional). */
  private ownAckIds = 0;

  constructor(nsp: AdapterNamespace, opts: ClusterAdapterOptions = {}) {
    super(nsp);
    this.requestsTimeout = opts.requestsTimeout ?? DEFAULT_REQUESTS_TIMEOUT;
  }

  /** Who must answer a request sent to every server now. */
  protected abstract responders(): Promise<Responders>;

  /** Whether `close()` was called. */
  protected get isClosed(): boolean {
    return this.closed;
  }

  /** Fails what still waits for answers; later requests reject. */
  override close(): Promise<void> | void {
    if (this.closed) return;
    this.closed = true;
    const err = closedError(this.nsp.name);
    for (const request of [...this.pending.values()]) request.fail(err);
  }

  /**
   * Reports a failure nobody awaits: as `error` on this adapter when someone listens, else to the
   * server (`io.on('adapter_error')`, or a rate-limited process warning); never into the void.
   */
  protected reportError(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else (this.nsp as { reportAdapterError?: (err: unknown) => void }).reportAdapterError?.(error);
  }

  /** Hands an answer to the request `requestId` (ignored when it is not ours or is over). */
  protected answer(requestId: unknown, uid: string | undefined, body: unknown): void {
    if (typeof requestId === 'string' || typeof requestId === 'number')
      this.pending.get(String(requestId))?.answer(uid, body);
  }

  /** `uid` left the cluster: no request waits for it any more. */
  protected serverGone(uid: string): void {
    for (const request of [...this.pending.values()]) request.serverGone(uid);
  }

  /** Whether `requestId` is one of this server's requests still waiting. */
  protected isPending(requestId: unknown): boolean {
    return (
      (typeof requestId === 'string' || typeof requestId === 'number') &&
      this.pending.has(String(requestId))
    );
  }

  /**
   * Sends a request (`send` publishes it under the given id) and waits until every responder
   * answered; `onAnswer` gets each answer's body. Resolves at once when this server is alone.
   * @throws WiregateError `WG_ERR_ACK_TIMEOUT` after `requestsTimeout`, or when it cannot be sent;
   * `WG_ERR_SERVER_NOT_RUNNING` once closed.
   */
  protected async request(
    label: string,
    send: (requestId: string) => Promise<unknown>,
    onAnswer: (body: unknown) => void,
  ): Promise<void> {
    if (this.closed) throw closedError(this.nsp.name);
    const responders = await this.bounded(this.responders(), label);
    if (isEmpty(responders)) return;
    if (this.closed) throw closedError(this.nsp.name);
    const requestId = newRequestId();
    const ms = this.requestsTimeout;
    return new Promise<void>((resolve, reject) => {
      const settle = (err: Error | null) => {
        this.pending.delete(requestId);
        if (err) reject(err);
        else resolve();
      };
      const request = new ServerAnswers(responders, ms, onAnswer, settle, (missing, total) =>
        timeoutError(label, missing, total, ms),
      );
      this.pending.set(requestId, request);
      send(requestId).catch((err: unknown) => request.fail(unreachableError(label, err)));
    });
  }

  /**
   * The remote half of a broadcast with acks: `send` publishes it under the given id; answers
   * (`{count}` then `{ack}`) are handed to `answer`.
   */
  protected requestAckBroadcast(
    opts: BroadcastOptions,
    clientCountCallback: (count: number) => void,
    ack: Ack,
    send: (requestId: string) => Promise<unknown>,
  ): void {
    const started = async () => {
      const responders = await this.bounded(this.responders(), 'broadcast with acks');
      if (isEmpty(responders) || this.closed) return;
      const requestId = newRequestId();
      const request = new AckBroadcastAnswers(
        responders,
        opts.flags?.timeout,
        this.requestsTimeout,
        clientCountCallback,
        ack,
        () => this.pending.delete(requestId),
      );
      this.pending.set(requestId, request);
      await send(requestId).catch((err: unknown) => {
        request.fail();
        throw err;
      });
    };
    // The operator learns of a failure through serverCount(); here it is only reported.
    started().catch((err: unknown) => this.reportError(err));
  }

  /**
   * `serverSideEmit` with a trailing callback: `(err, replies[])`, one reply per server, or a
   * `WG_ERR_ACK_TIMEOUT` error (with the replies so far in `err.responses`).
   */
  protected serverSideEmitWithAck(
    send: (requestId: string) => Promise<unknown>,
    callback: (err: Error | null, replies: unknown[]) => void,
  ): void {
    const replies: unknown[] = [];
    this.request('serverSideEmit', send, (reply) => replies.push(reply))
      .then(
        () => callback(null, replies),
        (err: Error & { responses?: unknown[] }) => {
          err.responses = replies;
          return callback(err, replies);
        },
      )
      // The user's callback threw: report it rather than leave an unhandled rejection.
      .catch((err: unknown) => this.reportError(err));
  }

  /**
   * Broadcasts a packet another server asked acks for, on this server: `respond` sends the
   * recipient count then each ack (socket.io forwards the first argument of an ack).
   */
  protected localAckBroadcast(
    packet: Packet,
    opts: BroadcastOptions,
    respond: (answer: { count: number } | { ack: unknown }) => void,
  ): void {
    super.broadcastWithAck(
      packet,
      opts,
      (count) => respond({ count }),
      (...args) => respond({ ack: args[0] }),
    );
  }

  /**
   * Resolves once every server answered `request`, published after an operation the protocol
   * does not answer (socketsJoin, socketsLeave, disconnectSockets): Redis delivers one
   * connection's messages in order, so each server has applied the operation by then.
   */
  protected confirmApplied(
    label: string,
    request: (requestId: string) => Promise<unknown>,
  ): Promise<void> {
    return this.request(label, request, () => undefined);
  }

  /**
   * `work` within `requestsTimeout`: a Redis command queued while Redis is down would otherwise
   * hold the caller until it comes back.
   */
  protected bounded<T>(work: Promise<T>, label: string): Promise<T> {
    const ms = this.requestsTimeout;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(countTimeoutError(label, ms)), ms);
    });
    return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
  }

  /** An ack id of this server for a broadcast with acks another server asked for. */
  protected nextAckId(): number {
    return this.nsp.nextAckId ? this.nsp.nextAckId() : this.ownAckIds++;
  }

  /** Runs a local operation asked by another server; a failure is reported. */
  protected runLocal(work: Promise<unknown>): void {
    work.catch((err: unknown) => this.reportError(err));
  }
}

function isEmpty(responders: Responders): boolean {
  return typeof responders === 'number' ? responders <= 0 : responders.size === 0;
}

/** Request ids: random, so two servers' requests never share one on a shared response channel. */
function newRequestId(): string {
  return randomBytes(6).toString('base64url');
}

/**
 * Requests waiting for other servers: who still owes an answer, when to give up, and what a
 * server that leaves means for each kind of request.
 * @module
 */
import { MessageKind } from './messages';

/** A request waiting for answers from other servers. */
export interface PendingRequest {
  /** An answer from `uid` (any of the request's answer kinds). */
  answer(uid: string, kind: MessageKind, body: unknown): void;
  /** `uid` left the cluster: stop waiting for it. */
  serverGone(uid: string): void;
  /** Give up (the adapter closed, or the request could not be sent). */
  fail(err: Error): void;
}

/**
 * One answer per server alive when the request started; settles when all answered (or left),
 * or with the error of `onTimeout` after `ms`.
 */
export class ServerAnswers implements PendingRequest {
  private readonly waitingFor: Set<string>;
  private readonly total: number;
  private readonly timer: NodeJS.Timeout;
  private done = false;

  constructor(
    servers: Iterable<string>,
    ms: number,
    private readonly onAnswer: (uid: string, body: unknown) => void,
    private readonly settle: (err: Error | null) => void,
    onTimeout: (missing: number, total: number) => Error,
  ) {
    this.waitingFor = new Set(servers);
    this.total = this.waitingFor.size;
    this.timer = setTimeout(() => this.finish(onTimeout(this.waitingFor.size, this.total)), ms);
  }

  answer(uid: string, _kind: MessageKind, body: unknown): void {
    if (this.done || !this.waitingFor.delete(uid)) return;
    this.onAnswer(uid, body);
    if (this.waitingFor.size === 0) this.finish(null);
  }

  serverGone(uid: string): void {
    if (this.waitingFor.delete(uid) && this.waitingFor.size === 0) this.finish(null);
  }

  fail(err: Error): void {
    this.finish(err);
  }

  private finish(err: Error | null): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.settle(err);
  }
}

/**
 * The remote half of a broadcast with acks: each server first reports its recipient count, then
 * forwards one ack per recipient. A server that leaves counts as zero recipients, so the
 * operator never waits for it. Done when every count and every announced ack arrived, or after
 * the broadcast's own `timeout` (without one, clients may answer whenever they like, as on one
 * server).
 */
export class AckBroadcastAnswers implements PendingRequest {
  private readonly waitingFor: Set<string>;
  /** Acks each server still owes. */
  private readonly owed = new Map<string, number>();
  private readonly timer: NodeJS.Timeout | null;
  private done = false;

  constructor(
    servers: Iterable<string>,
    timeout: number | undefined,
    private readonly clientCountCallback: (count: number) => void,
    private readonly ack: (args: unknown[]) => void,
    private readonly onDone: () => void,
  ) {
    this.waitingFor = new Set(servers);
    this.timer = timeout === undefined ? null : setTimeout(() => this.finish(), timeout);
  }

  answer(uid: string, kind: MessageKind, body: unknown): void {
    if (this.done) return;
    if (kind === MessageKind.BROADCAST_CLIENT_COUNT) {
      if (!this.waitingFor.delete(uid)) return;
      const { count } = body as { count: number };
      if (count > 0) this.owed.set(uid, count);
      this.clientCountCallback(count);
    } else if (kind === MessageKind.BROADCAST_ACK) {
      const left = this.owed.get(uid);
      if (left === undefined) return;
      if (left <= 1) this.owed.delete(uid);
      else this.owed.set(uid, left - 1);
      this.ack((body as { args: unknown[] }).args);
    }
    this.finishIfComplete();
  }

  serverGone(uid: string): void {
    if (this.done) return;
    this.owed.delete(uid);
    if (this.waitingFor.delete(uid)) this.clientCountCallback(0);
    this.finishIfComplete();
  }

  fail(): void {
    this.finish();
  }

  /** The servers whose count is still due (to count them out when the publish failed). */
  pendingServers(): string[] {
    return [...this.waitingFor];
  }

  private finishIfComplete(): void {
    if (this.waitingFor.size === 0 && this.owed.size === 0) this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.onDone();
  }
}

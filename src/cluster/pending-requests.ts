/**
 * Requests waiting for other servers: who still owes an answer, when to give up, and what a
 * server that leaves means for each kind of request.
 * @module
 */

/**
 * Who must answer a request: a number of answers (the server count from Redis, as socket.io's
 * adapters count), or the ids of the servers (as heartbeats tell), which also lets a server that
 * leaves be counted out.
 */
export type Responders = number | ReadonlySet<string>;

/** The answers a request still waits for. */
class Owed {
  private count: number;
  private readonly uids: Set<string> | null;
  readonly total: number;

  constructor(responders: Responders) {
    this.uids = typeof responders === 'number' ? null : new Set(responders);
    this.count = this.uids === null ? (responders as number) : this.uids.size;
    this.total = this.count;
  }

  /** Counts an answer from `uid`; false when it was not owed (a duplicate, a stranger). */
  answer(uid: string | undefined): boolean {
    if (this.uids !== null) {
      if (uid === undefined || !this.uids.delete(uid)) return false;
      this.count = this.uids.size;
      return true;
    }
    if (this.count <= 0) return false;
    this.count--;
    return true;
  }

  /** `uid` left; true when it still owed an answer (only known with ids). */
  gone(uid: string): boolean {
    if (this.uids === null || !this.uids.delete(uid)) return false;
    this.count = this.uids.size;
    return true;
  }

  /** Stops waiting for anyone; returns how many answers were still owed. */
  clear(): number {
    const missing = this.count;
    this.count = 0;
    this.uids?.clear();
    return missing;
  }

  get remaining(): number {
    return this.count;
  }
}

/** A request waiting for answers from other servers. */
export interface PendingRequest {
  /** An answer from `uid` (unknown on protocols whose answers do not say). */
  answer(uid: string | undefined, body: unknown): void;
  /** `uid` left the cluster: stop waiting for it. */
  serverGone(uid: string): void;
  /** Give up (the adapter closed, or the request could not be sent). */
  fail(err: Error): void;
}

/**
 * One answer per responder; settles when all answered (or left), or with the error of
 * `onTimeout` after `ms`.
 */
export class ServerAnswers implements PendingRequest {
  private readonly owed: Owed;
  private readonly timer: NodeJS.Timeout;
  private done = false;

  constructor(
    responders: Responders,
    ms: number,
    private readonly onAnswer: (body: unknown) => void,
    private readonly settle: (err: Error | null) => void,
    onTimeout: (missing: number, total: number) => Error,
  ) {
    this.owed = new Owed(responders);
    this.timer = setTimeout(() => this.finish(onTimeout(this.owed.remaining, this.owed.total)), ms);
    if (this.owed.remaining === 0) this.finish(null);
  }

  answer(uid: string | undefined, body: unknown): void {
    if (this.done || !this.owed.answer(uid)) return;
    this.onAnswer(body);
    if (this.owed.remaining === 0) this.finish(null);
  }

  serverGone(uid: string): void {
    if (!this.done && this.owed.gone(uid) && this.owed.remaining === 0) this.finish(null);
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

/** Answers to a broadcast with acks: a recipient count per server, then one ack per recipient. */
export type AckAnswer = { count: number } | { ack: unknown };

/**
 * The remote half of a broadcast with acks: each server first reports its recipient count, then
 * forwards one ack per recipient. A server that leaves, or does not report its count within
 * `countTimeout`, counts as zero recipients, so the operator never waits for it. Done when every
 * count and every announced ack arrived, or after the broadcast's own `timeout` (without one,
 * clients may answer whenever they like, as on one server).
 */
export class AckBroadcastAnswers implements PendingRequest {
  private readonly counts: Owed;
  /** Acks still owed, per server when answers say who they are from. */
  private readonly acksBy = new Map<string, number>();
  private acksOwed = 0;
  private readonly timer: NodeJS.Timeout | null;
  private countTimer: NodeJS.Timeout | null;
  private done = false;

  constructor(
    responders: Responders,
    timeout: number | undefined,
    countTimeout: number,
    private readonly clientCountCallback: (count: number) => void,
    private readonly ack: (arg: unknown) => void,
    private readonly onDone: () => void,
  ) {
    this.counts = new Owed(responders);
    this.timer = timeout === undefined ? null : setTimeout(() => this.finish(), timeout);
    this.countTimer = setTimeout(() => this.countOutMissing(), countTimeout);
    this.finishIfComplete();
  }

  answer(uid: string | undefined, body: unknown): void {
    if (this.done) return;
    const answer = body as AckAnswer;
    if ('count' in answer) {
      if (!this.counts.answer(uid)) return;
      this.acksOwed += answer.count;
      if (uid !== undefined && answer.count > 0)
        this.acksBy.set(uid, (this.acksBy.get(uid) ?? 0) + answer.count);
      this.clientCountCallback(answer.count);
    } else {
      if (this.acksOwed <= 0) return;
      this.acksOwed--;
      const left = uid === undefined ? undefined : this.acksBy.get(uid);
      if (left !== undefined) {
        if (left <= 1) this.acksBy.delete(uid!);
        else this.acksBy.set(uid!, left - 1);
      }
      this.ack(answer.ack);
    }
    this.finishIfComplete();
  }

  serverGone(uid: string): void {
    if (this.done) return;
    if (this.counts.gone(uid)) this.clientCountCallback(0);
    const left = this.acksBy.get(uid);
    if (left !== undefined) {
      this.acksBy.delete(uid);
      this.acksOwed -= left;
    }
    this.finishIfComplete();
  }

  fail(): void {
    this.countOutMissing();
    this.finish();
  }

  /** Servers that never reported a count: zero recipients each, so the operator stops waiting. */
  private countOutMissing(): void {
    this.countTimer = null;
    if (this.done) return;
    for (let missing = this.counts.clear(); missing > 0; missing--) this.clientCountCallback(0);
    this.finishIfComplete();
  }

  private finishIfComplete(): void {
    if (this.counts.remaining === 0 && this.acksOwed <= 0) this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.countTimer) clearTimeout(this.countTimer);
    this.onDone();
  }
}

/**
 * A bounded pool of bench clients: opens N with a concurrency limit and a deadline,
 * routes replies and deliveries to the current job, closes everything.
 * @module
 */
import type { Target } from '../lib/messages';
import { BenchClient, localAddressFor, type ClientHandler } from './client';

type ReplyFn = (client: BenchClient, data: Buffer) => void;
type DeliveryFn = (client: BenchClient) => void;
const ignore = (): void => undefined;

export class Pool implements ClientHandler {
  readonly clients: BenchClient[] = [];
  /** ms from `new WebSocket` to the Socket.IO CONNECT reply, per connection. */
  connectMs = new Float64Array(0);
  connectedCount = 0;
  failures = 0;
  /** Clients that failed after connecting (closed by the server, errors). */
  lost = 0;
  lastError = '';
  onReply: ReplyFn = ignore;
  onDelivery: DeliveryFn = ignore;
  private started = 0;
  private inFlight = 0;
  private wanted = 0;
  private settle: ((err?: Error) => void) | null = null;

  constructor(
    private readonly target: Target,
    private readonly addressOffset = 0,
  ) {}

  /** Opens `n` more clients, at most `concurrency` handshakes at a time; rejects after `deadline` (ms since epoch). */
  open(n: number, concurrency: number, deadline: number): Promise<void> {
    this.wanted = this.started + n;
    const grown = new Float64Array(this.wanted);
    grown.set(this.connectMs.subarray(0, this.connectedCount));
    this.connectMs = grown;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          finish(
            new Error(
              `open: ${this.connectedCount}/${this.wanted} connected before the deadline (${this.lastError})`,
            ),
          ),
        Math.max(0, deadline - Date.now()),
      );
      const finish = (err?: Error): void => {
        clearTimeout(timer);
        this.settle = null;
        if (err) reject(err);
        else resolve();
      };
      this.settle = finish;
      for (let i = 0; i < concurrency && this.started < this.wanted; i++) this.startOne();
      if (this.started === this.connectedCount && this.started >= this.wanted) finish();
    });
  }

  private startOne(): void {
    const index = this.started++;
    this.inFlight++;
    this.clients.push(
      new BenchClient(this.target, localAddressFor(index + this.addressOffset), this),
    );
  }

  connected(client: BenchClient): void {
    this.connectMs[this.connectedCount++] = performance.now() - client.sentAt;
    this.inFlight--;
    this.next();
  }

  failed(client: BenchClient, reason: string): void {
    this.lastError = reason;
    if (client.isConnected) {
      this.lost++;
      return;
    }
    this.inFlight--;
    this.failures++;
    if (this.failures > Math.max(10, this.wanted / 100))
      this.settle?.(new Error(`open: ${this.failures} connections failed (${reason})`));
    else this.next();
  }

  reply(client: BenchClient, data: Buffer): void {
    this.onReply(client, data);
  }

  delivery(client: BenchClient): void {
    this.onDelivery(client);
  }

  private next(): void {
    if (this.started < this.wanted) this.startOne();
    else if (this.inFlight === 0) this.settle?.();
  }

  /** Connected clients, in connection order of creation. */
  live(): BenchClient[] {
    return this.clients.filter((c) => c.isConnected && !c.isDone);
  }

  closeAll(): void {
    for (const c of this.clients) c.close();
  }
}

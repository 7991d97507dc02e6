/**
 * `ClusterAdapterWithHeartbeat`: a `ClusterAdapter` that counts the servers itself, from their
 * messages and heartbeats (socket.io-adapter's class of the same name, same messages), for
 * transports that cannot count subscribers.
 * @module
 */
import type { AdapterNamespace } from '../server';
import { ClusterAdapter } from './cluster-adapter';
import { MessageType, type ClusterMessage, type UnsentMessage } from './cluster-messages';
import type { Responders } from './pending-requests';
import type { ClusterAdapterOptions } from './requesting-adapter';

/** Options of a `ClusterAdapterWithHeartbeat`. */
export interface ClusterAdapterWithHeartbeatOptions extends ClusterAdapterOptions {
  /** ms between two signs of life of this server (any message counts). Default 5000. */
  heartbeatInterval?: number;
  /** ms of silence after which another server counts as gone. Default 10000. */
  heartbeatTimeout?: number;
}

/** Default of `heartbeatInterval` (socket.io-adapter's). */
export const DEFAULT_HEARTBEAT_INTERVAL = 5000;
/** Default of `heartbeatTimeout` (socket.io-adapter's). */
export const DEFAULT_HEARTBEAT_TIMEOUT = 10000;

/** socket.io's emitters sign their messages with this uid; they are not servers. */
const EMITTER_UID = 'emitter';

/**
 * A cluster adapter that learns the other servers from what they publish: an initial heartbeat
 * when one starts (everyone answers with a heartbeat), a heartbeat when one has published nothing
 * for `heartbeatInterval`, and a goodbye when one closes. Requests wait for the servers known
 * when they start, and stop waiting for one that leaves or goes silent for `heartbeatTimeout`.
 *
 * @example
 * class MyAdapter extends ClusterAdapterWithHeartbeat {
 *   protected doPublish(message: ClusterMessage) { return bus.send('all', encodeClusterMessage(message)); }
 *   protected doPublishResponse(uid: string, response: ClusterMessage) { return bus.send(uid, encodeClusterMessage(response)); }
 * }
 */
export abstract class ClusterAdapterWithHeartbeat extends ClusterAdapter {
  private readonly heartbeatInterval: number;
  private readonly heartbeatTimeout: number;
  /** Other live servers: uid → when we last heard from them (ms). */
  private readonly nodes = new Map<string, number>();
  /** Servers that said goodbye: uid → when. A late message of theirs must not revive them. */
  private readonly departed = new Map<string, number>();
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private cleanupTimer: NodeJS.Timeout | null = null;

  constructor(nsp: AdapterNamespace, opts: ClusterAdapterWithHeartbeatOptions = {}) {
    super(nsp, opts);
    this.heartbeatInterval = opts.heartbeatInterval ?? DEFAULT_HEARTBEAT_INTERVAL;
    this.heartbeatTimeout = opts.heartbeatTimeout ?? DEFAULT_HEARTBEAT_TIMEOUT;
  }

  /** Announces this server; subclasses subscribe first, then call this. */
  override init(): Promise<void> | void {
    const tick = Math.max(1, Math.min(1000, this.heartbeatTimeout / 4));
    this.cleanupTimer = setInterval(() => this.dropSilentNodes(), tick);
    this.cleanupTimer.unref();
    this.announce();
  }

  /** Asks every server to answer with a heartbeat (also after this server could not hear them). */
  protected announce(): void {
    this.publish({ type: MessageType.INITIAL_HEARTBEAT });
  }

  /** Servers running this namespace, this one included, as their messages tell. */
  override serverCount(): Promise<number> {
    return Promise.resolve(this.nodes.size + 1);
  }

  /** Tells the others this server leaves, and fails what still waits for answers. */
  override async close(): Promise<void> {
    if (this.isClosed) return;
    await super.close();
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    if (this.cleanupTimer) clearInterval(this.cleanupTimer);
    this.heartbeatTimer = this.cleanupTimer = null;
    // Bounded: with the transport down the publish may hang until it reconnects, and closing must
    // not wait for that. The others then notice by the heartbeat timeout instead.
    const notice = this.publishAndWait({ type: MessageType.ADAPTER_CLOSE });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>(
      (resolve) => (timer = setTimeout(resolve, this.requestsTimeout)),
    );
    await Promise.race([notice.catch((e: unknown) => this.reportError(e)), deadline]);
    clearTimeout(timer);
  }

  protected override async responders(): Promise<Responders> {
    return new Set(this.nodes.keys());
  }

  protected override handleMessage(message: ClusterMessage): void {
    const uid = message.uid;
    if (message.type === MessageType.ADAPTER_CLOSE) {
      this.departed.set(uid, Date.now());
      return this.removeNode(uid);
    }
    if (uid !== EMITTER_UID && !(this.departed.size > 0 && this.departed.has(uid)))
      this.nodes.set(uid, Date.now());
    if (message.type === MessageType.INITIAL_HEARTBEAT)
      return this.publish({ type: MessageType.HEARTBEAT });
    super.handleMessage(message);
  }

  /** Every publish counts as a sign of life: the heartbeat is only sent after a silent interval. */
  protected override publishAndWait(message: UnsentMessage): Promise<unknown> {
    if (!this.isClosed) this.scheduleHeartbeat();
    return super.publishAndWait(message);
  }

  private scheduleHeartbeat(): void {
    if (this.heartbeatTimer) {
      this.heartbeatTimer.refresh();
      return;
    }
    this.heartbeatTimer = setTimeout(() => {
      this.heartbeatTimer = null;
      if (!this.isClosed) this.publish({ type: MessageType.HEARTBEAT });
    }, this.heartbeatInterval);
    this.heartbeatTimer.unref();
  }

  private dropSilentNodes(): void {
    const deadline = Date.now() - this.heartbeatTimeout;
    for (const [uid, lastSeen] of this.nodes) if (lastSeen < deadline) this.removeNode(uid);
    for (const [uid, leftAt] of this.departed) if (leftAt < deadline) this.departed.delete(uid);
  }

  private removeNode(uid: string): void {
    if (!this.nodes.delete(uid)) return;
    this.serverGone(uid);
  }
}

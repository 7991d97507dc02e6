/**
 * Subscribing an adapter's channels so that a Redis that is down at start does not leave it
 * deaf: a client only resubscribes after a reconnect what it was subscribed to, so a SUBSCRIBE
 * that failed is retried here, with backoff, until it succeeds or the adapter closes.
 * @module
 */
import type { ChannelRouter, RoutedAdapter } from './channel-router';
import type { SubscriptionKind } from './redis-client';

/** ms before the first new SUBSCRIBE after one failed; doubles up to the max. */
const RETRY_BASE = 500;
const RETRY_MAX = 10_000;

/** What the retries ask and report to. */
export interface SubscriptionHooks {
  /** Whether the adapter closed (retries stop). */
  isClosed(): boolean;
  /** A SUBSCRIBE failed (reported as the adapter's `error`). */
  onError(err: unknown): void;
}

/**
 * Routes and subscribes `subscriptions` for `owner`. Never rejects: a failure is reported and
 * retried in the background.
 */
export async function subscribeAll(
  router: ChannelRouter,
  subscriptions: [SubscriptionKind, string[]][],
  adapter: RoutedAdapter,
  hooks: SubscriptionHooks,
): Promise<void> {
  await Promise.all(
    subscriptions.map(([kind, keys]) =>
      router.add(kind, keys, adapter).catch((err: unknown) => {
        hooks.onError(subscribeError(kind, keys, err));
        retry(router, kind, keys, hooks, 0);
      }),
    ),
  );
}

function retry(
  router: ChannelRouter,
  kind: SubscriptionKind,
  keys: string[],
  hooks: SubscriptionHooks,
  attempt: number,
): void {
  const delay = Math.min(RETRY_BASE * 2 ** attempt, RETRY_MAX);
  setTimeout(() => {
    if (hooks.isClosed()) return;
    router.resubscribe(kind, keys).catch((err: unknown) => {
      hooks.onError(subscribeError(kind, keys, err));
      retry(router, kind, keys, hooks, attempt + 1);
    });
  }, delay).unref();
}

/** Says what could not be subscribed; the client's error is the cause. */
function subscribeError(kind: SubscriptionKind, keys: string[], cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const what = kind === 'pattern' ? 'PSUBSCRIBE' : kind === 'sharded' ? 'SSUBSCRIBE' : 'SUBSCRIBE';
  return new Error(`wiregate/redis: ${what} ${keys.join(' ')} failed, retrying: ${reason}`, {
    cause,
  });
}

/**
 * What an UNSUBSCRIBE at close does when it fails: nothing. It leaves nothing to undo (the routes
 * are gone; a connection that closed took its subscriptions with it; a channel the client
 * resubscribes after a reconnect is routed nowhere), and reporting it after the server was closed
 * would only be noise at every shutdown that disconnects the clients right away.
 */
export function unsubscribeFailedAtClose(): void {}

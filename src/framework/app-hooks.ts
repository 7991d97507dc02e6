/**
 * Calls NestJS's application lifecycle hooks on the app's instances, in NestJS's order.
 * @module
 */
import { bootstrapError } from './exceptions/bootstrap-error';
import type { Logger } from './pipeline/exceptions';

/** The hooks, in the order an app's life calls them. */
export type AppHook =
  | 'onModuleInit'
  | 'onApplicationBootstrap'
  | 'onModuleDestroy'
  | 'beforeApplicationShutdown'
  | 'onApplicationShutdown';

/** The instances that implement any hook, each once, in the order given. */
export function withHooks(instances: readonly unknown[]): object[] {
  const hooks: AppHook[] = [
    'onModuleInit',
    'onApplicationBootstrap',
    'onModuleDestroy',
    'beforeApplicationShutdown',
    'onApplicationShutdown',
  ];
  const out = new Set<object>();
  for (const instance of instances)
    if (
      instance !== null &&
      typeof instance === 'object' &&
      hooks.some((hook) => typeof (instance as Record<string, unknown>)[hook] === 'function')
    )
      out.add(instance);
  return [...out];
}

/**
 * Start-up hooks: awaited one instance after the other.
 * @throws WiregateError `WG_ERR_BOOTSTRAP` naming `Class.hook` when one throws or rejects.
 */
export async function callStartHook(
  instances: readonly object[],
  hook: 'onModuleInit' | 'onApplicationBootstrap',
): Promise<void> {
  for (const instance of instances) {
    const fn = (instance as Record<string, unknown>)[hook];
    if (typeof fn !== 'function') continue;
    try {
      await (fn as () => unknown).call(instance);
    } catch (err) {
      throw bootstrapError(`${instance.constructor.name}.${hook} failed`, err);
    }
  }
}

/**
 * Shutdown hooks: awaited one instance after the other; a failure is logged and the
 * shutdown goes on, so that the server is closed whatever a hook does.
 */
export async function callShutdownHook(
  instances: readonly object[],
  hook: 'onModuleDestroy' | 'beforeApplicationShutdown' | 'onApplicationShutdown',
  signal: string | undefined,
  logger: Logger,
): Promise<void> {
  for (const instance of instances) {
    const fn = (instance as Record<string, unknown>)[hook];
    if (typeof fn !== 'function') continue;
    try {
      await (fn as (s?: string) => unknown).call(instance, signal);
    } catch (err) {
      logger.error(`[wiregate] ${instance.constructor.name}.${hook} failed:`, err);
    }
  }
}

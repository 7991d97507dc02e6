/**
 * NestJS's application lifecycle hooks, called on gateways, providers and modules.
 * @module
 */

/** Called once the app's instances exist and every gateway is bound, before `onApplicationBootstrap`. */
export interface OnModuleInit {
  onModuleInit(): unknown;
}

/** Called after every `onModuleInit`, before the app listens. */
export interface OnApplicationBootstrap {
  onApplicationBootstrap(): unknown;
}

/** Called first in `app.close()`, while clients are still connected. */
export interface OnModuleDestroy {
  onModuleDestroy(): unknown;
}

/** Called after every `onModuleDestroy`, before clients are disconnected and the server closes. */
export interface BeforeApplicationShutdown {
  beforeApplicationShutdown(signal?: string): unknown;
}

/** Called last in `app.close()`, once the server is closed. */
export interface OnApplicationShutdown {
  onApplicationShutdown(signal?: string): unknown;
}

/**
 * `@Module()`: an optional grouping of gateways and providers, as NestJS code declares it.
 * @module
 */
import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { MODULE } from '../metadata/keys';
import { setMetadata } from '../metadata/write';
import type { Type } from '../interfaces/types';
import type { Provider } from './providers';

/** What a module declares. */
export interface ModuleMetadata {
  /** Modules whose gateways and providers belong to the app too. */
  imports?: (Type | DynamicModule | Promise<DynamicModule>)[];
  /** Providers: classes or `{ provide, useClass | useValue | useFactory | useExisting }`. Gateways may be listed here, as in NestJS. */
  providers?: Provider[];
  /** Gateway classes (NestJS lists them in `providers`; both work). */
  gateways?: Type[];
  /** Accepted for NestJS code; every provider of the app is visible everywhere (docs/dependency-injection.md). */
  exports?: unknown[];
}

/** A module built at run time (`ConfigModule.forRoot()`), as in NestJS. */
export interface DynamicModule extends ModuleMetadata {
  module: Type;
  /** Accepted for NestJS code; every provider is global already. */
  global?: boolean;
}

/**
 * Declares a module: `createApp({ modules: [AppModule] })` takes its gateways, its
 * providers and those of the modules it imports.
 *
 * @example
 * @Module({ imports: [UsersModule], providers: [ChatGateway, ChatService] })
 * export class AppModule {}
 */
export function Module(metadata: ModuleMetadata): ClassDecorator {
  return (target) => {
    setMetadata(MODULE, { ...metadata }, target);
    // Module classes are instantiated (for their lifecycle hooks) and may inject providers.
    injectable()(target as unknown as new (...args: never[]) => unknown);
  };
}

// NestJS's lifecycle hooks on a provider, a gateway and modules, and a handleConnection
// that throws. Every hook appends to LIFECYCLE_LOG.
import { Injectable, Module, SubscribeMessage, WebSocketGateway, WsException } from 'wiregate';
import type {
  BeforeApplicationShutdown,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnGatewayConnection,
  OnGatewayInit,
  OnModuleDestroy,
  OnModuleInit,
  Socket,
} from 'wiregate';

export const LIFECYCLE_LOG: string[] = [];

/** Implements every application hook, logging `Name.hook(arg)`. */
abstract class Logged
  implements
    OnModuleInit,
    OnApplicationBootstrap,
    OnModuleDestroy,
    BeforeApplicationShutdown,
    OnApplicationShutdown
{
  onModuleInit(): void {
    LIFECYCLE_LOG.push(`${this.constructor.name}.onModuleInit`);
  }
  async onApplicationBootstrap(): Promise<void> {
    await Promise.resolve();
    LIFECYCLE_LOG.push(`${this.constructor.name}.onApplicationBootstrap`);
  }
  onModuleDestroy(): void {
    LIFECYCLE_LOG.push(`${this.constructor.name}.onModuleDestroy`);
  }
  beforeApplicationShutdown(signal?: string): void {
    LIFECYCLE_LOG.push(`${this.constructor.name}.beforeApplicationShutdown(${signal})`);
  }
  onApplicationShutdown(signal?: string): void {
    LIFECYCLE_LOG.push(`${this.constructor.name}.onApplicationShutdown(${signal})`);
  }
}

@Injectable()
export class StoreService extends Logged {}

@WebSocketGateway({ namespace: 'life' })
export class LifeGateway extends Logged implements OnGatewayInit, OnGatewayConnection {
  constructor(private readonly store: StoreService) {
    super();
  }

  afterInit(): void {
    LIFECYCLE_LOG.push('LifeGateway.afterInit');
  }

  handleConnection(client: Socket): void {
    if (client.handshake.auth.reject === true) throw new WsException('Not welcome');
  }

  @SubscribeMessage('log')
  log(): string[] {
    return [...LIFECYCLE_LOG, `store: ${this.store instanceof StoreService}`];
  }
}

@Module({ providers: [StoreService], exports: [StoreService] })
export class CoreModule extends Logged {}

@Module({ imports: [CoreModule], providers: [LifeGateway] })
export class LifeModule extends Logged {}

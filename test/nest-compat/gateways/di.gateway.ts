// Dependency injection as NestJS code declares it: @Injectable, @Inject, @Optional,
// scopes, modules with imports and every provider form. Runs on wiregate and NestJS.
import {
  Inject,
  Injectable,
  Module,
  Optional,
  Scope,
  SubscribeMessage,
  UseGuards,
  WebSocketGateway,
} from 'wiregate';
import type { CanActivate } from 'wiregate';

@Injectable()
export class CounterService {
  private count = 0;
  next(): number {
    return ++this.count;
  }
}

@Injectable({ scope: Scope.TRANSIENT })
export class Scratch {}

@Injectable()
export class PrefixService {
  constructor(
    @Inject('PREFIX') readonly prefix: string,
    readonly scratch: Scratch,
  ) {}
}

@Injectable()
export class SeenGuard implements CanActivate {
  static lastCounter: CounterService | null = null;
  constructor(@Inject(CounterService) private readonly counter: CounterService) {}
  canActivate(): boolean {
    SeenGuard.lastCounter = this.counter;
    return true;
  }
}

@Module({
  providers: [
    CounterService,
    PrefixService,
    Scratch,
    { provide: 'PREFIX', useValue: 'n' },
    { provide: 'ALIAS', useExisting: CounterService },
    {
      provide: 'STARTED',
      useFactory: async (counter: CounterService) => ({
        at: await Promise.resolve(counter.next()),
      }),
      inject: [CounterService],
    },
  ],
  exports: [CounterService, PrefixService, Scratch, 'ALIAS', 'STARTED'],
})
export class CoreModule {}

@UseGuards(SeenGuard)
@WebSocketGateway({ namespace: 'di' })
export class DiGateway {
  constructor(
    private readonly counter: CounterService,
    @Inject(CounterService) private readonly viaInject: CounterService,
    @Inject('ALIAS') private readonly alias: CounterService,
    @Inject('STARTED') private readonly started: { at: number },
    @Optional() @Inject('MISSING') private readonly missing: string | undefined,
    private readonly prefix: PrefixService,
    private readonly scratch: Scratch,
  ) {}

  @SubscribeMessage('di')
  report(): Record<string, unknown> {
    return {
      injectSame: this.viaInject === this.counter,
      aliasSame: this.alias === this.counter,
      guardSame: SeenGuard.lastCounter === this.counter,
      started: this.started,
      missing: this.missing === undefined,
      prefix: this.prefix.prefix,
      transientDistinct: this.scratch !== this.prefix.scratch,
      next: this.counter.next(),
    };
  }

  /** For the wiregate side of the test: the instance the gateway holds. */
  heldCounter(): CounterService {
    return this.counter;
  }
}

@Module({ imports: [CoreModule], providers: [DiGateway, SeenGuard] })
export class DiModule {}

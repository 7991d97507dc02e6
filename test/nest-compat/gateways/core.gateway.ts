// The @nestjs/core names gateway code imports: APP_GUARD and APP_INTERCEPTOR declared
// in a module, ModuleRef (get, resolve, create), ContextIdFactory.
import { map, type Observable } from 'rxjs';
import {
  APP_GUARD,
  APP_INTERCEPTOR,
  ContextIdFactory,
  Injectable,
  MessageBody,
  Module,
  ModuleRef,
  Scope,
  SubscribeMessage,
  WebSocketGateway,
} from 'wiregate';
import type { CallHandler, CanActivate, ExecutionContext, NestInterceptor, Socket } from 'wiregate';

@Injectable()
export class Audit {
  readonly seen: string[] = [];
}

@Injectable()
export class Helper {
  hello(): string {
    return 'hi';
  }
}

@Injectable()
export class AuditGuard implements CanActivate {
  constructor(private readonly audit: Audit) {}

  canActivate(context: ExecutionContext): boolean {
    const pattern = context.switchToWs().getPattern();
    if (pattern !== '') this.audit.seen.push(pattern);
    return true;
  }
}

@Injectable()
export class CountingInterceptor implements NestInterceptor {
  private count = 0;

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const n = ++this.count;
    return next.handle().pipe(map((value: unknown) => ({ value, n })));
  }
}

/** The same counter, one per connection (NestJS ignores it as a global interceptor of a singleton gateway). */
@Injectable({ scope: Scope.REQUEST })
export class PerConnectionCounter extends CountingInterceptor {}

@Injectable({ scope: Scope.REQUEST })
export class PerContext {}

@WebSocketGateway({ namespace: 'core' })
export class CoreGateway {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly audit: Audit,
  ) {}

  @SubscribeMessage('ping')
  ping(@MessageBody() body: unknown): unknown {
    return body;
  }

  @SubscribeMessage('refs')
  async refs(client: Socket): Promise<Record<string, unknown>> {
    const contextId = ContextIdFactory.getByRequest(client);
    const a = await this.moduleRef.resolve(PerContext, contextId);
    const b = await this.moduleRef.resolve(PerContext, contextId);
    const other = await this.moduleRef.resolve(PerContext);
    const created = await this.moduleRef.create(Helper);
    return {
      sameInContext: a === b,
      newContext: a !== other,
      get: this.moduleRef.get(Audit) === this.audit,
      created: created instanceof Helper && created !== this.moduleRef.get(Helper),
      hello: created.hello(),
    };
  }

  @SubscribeMessage('audit')
  auditLog(): string[] {
    return [...this.audit.seen];
  }
}

@Module({
  providers: [
    CoreGateway,
    Audit,
    Helper,
    PerContext,
    { provide: APP_GUARD, useClass: AuditGuard },
    { provide: APP_INTERCEPTOR, useClass: CountingInterceptor },
  ],
})
export class CoreModule {}

// Request scope, which for a gateway means one instance per connection: a
// Scope.REQUEST provider injecting REQUEST (the client socket), and the gateway that
// injects it becoming per-connection too.
import {
  Inject,
  Injectable,
  Module,
  REQUEST,
  Scope,
  SubscribeMessage,
  WebSocketGateway,
} from 'wiregate';
import type { Socket } from 'wiregate';

@Injectable({ scope: Scope.REQUEST })
export class SessionState {
  count = 0;
  constructor(@Inject(REQUEST) readonly client: Socket) {}
}

@Injectable()
export class Totals {
  total = 0;
}

@WebSocketGateway({ namespace: 'scoped' })
export class ScopedGateway {
  constructor(
    private readonly state: SessionState,
    private readonly totals: Totals,
  ) {}

  @SubscribeMessage('inc')
  inc(client: Socket): Record<string, unknown> {
    this.state.count++;
    this.totals.total++;
    return {
      mine: this.state.count,
      total: this.totals.total,
      sameClient: this.state.client === client,
    };
  }
}

@Module({ providers: [ScopedGateway, SessionState, Totals] })
export class ScopedModule {}

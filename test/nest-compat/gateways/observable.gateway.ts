// Observable results and rxjs interceptors, as in NestJS's 02-gateways sample.
import { concat, from, map, of, throwError, type Observable } from 'rxjs';
import {
  Injectable,
  MessageBody,
  Module,
  SubscribeMessage,
  UseGuards,
  UseInterceptors,
  WebSocketGateway,
  WsException,
} from 'wiregate';
import type {
  CallHandler,
  CanActivate,
  ExecutionContext,
  NestInterceptor,
  WsResponse,
} from 'wiregate';

@Injectable()
export class WrapInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(map((data: unknown) => ({ wrapped: data })));
  }
}

/** Answers with an Observable, as NestJS guards may. */
export class ObservableGuard implements CanActivate {
  canActivate(context: ExecutionContext): Observable<boolean> {
    return of(context.switchToWs().getData() !== 'deny');
  }
}

@WebSocketGateway({ namespace: 'streams' })
export class StreamsGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() body: unknown): unknown {
    return body;
  }

  @SubscribeMessage('events')
  findAll(): Observable<WsResponse<number>> {
    return from([1, 2, 3]).pipe(map((item) => ({ event: 'events', data: item })));
  }

  @SubscribeMessage('identity')
  async identity(@MessageBody() data: number): Promise<number> {
    return data;
  }

  @SubscribeMessage('acked')
  acked(): Observable<number> {
    return of(1, 2, 3);
  }

  @SubscribeMessage('wrapped')
  @UseInterceptors(WrapInterceptor)
  wrapped(@MessageBody() data: unknown): unknown {
    return data;
  }

  @SubscribeMessage('wrapped:async')
  @UseInterceptors(WrapInterceptor)
  async wrappedAsync(@MessageBody() data: unknown): Promise<unknown> {
    return data;
  }

  @SubscribeMessage('guarded')
  @UseGuards(ObservableGuard)
  guarded(@MessageBody() body: unknown): unknown {
    return { passed: body };
  }

  @SubscribeMessage('broken')
  broken(): Observable<WsResponse<string>> {
    return concat(
      of({ event: 'piece', data: 'first' }),
      throwError(() => new WsException('stream broke')),
    );
  }
}

@Module({ providers: [StreamsGateway, WrapInterceptor] })
export class StreamsModule {}

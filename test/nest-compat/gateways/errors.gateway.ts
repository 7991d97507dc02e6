// Exceptions as NestJS code throws and filters them: WsException with a string or an
// object, unknown errors, a refusing guard, a filter that emits its own reply, a filter
// extending BaseWsExceptionFilter.
import {
  BaseWsExceptionFilter,
  Catch,
  MessageBody,
  Module,
  SubscribeMessage,
  UseFilters,
  UseGuards,
  WebSocketGateway,
  WsException,
} from 'wiregate';
import type { ArgumentsHost, CanActivate, Socket, WsExceptionFilter } from 'wiregate';

export class QuotaError extends Error {}

@Catch(QuotaError)
export class QuotaFilter implements WsExceptionFilter<QuotaError> {
  catch(exception: QuotaError, host: ArgumentsHost): void {
    const client = host.switchToWs().getClient<Socket>();
    client.emit('quota', { reason: exception.message, pattern: host.switchToWs().getPattern() });
  }
}

@Catch()
export class AuditFilter extends BaseWsExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    host
      .switchToWs()
      .getClient<Socket>()
      .emit('audited', (exception as Error).message);
    super.catch(exception, host);
  }
}

export class DenyGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@WebSocketGateway({ namespace: 'errors' })
export class ErrorsGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() body: unknown): unknown {
    return body;
  }

  @SubscribeMessage('string')
  string(): never {
    throw new WsException('Room is full');
  }

  @SubscribeMessage('object')
  object(): never {
    throw new WsException({ code: 'ROOM_FULL', message: 'Room is full', capacity: 10 });
  }

  @SubscribeMessage('get-error')
  getError(): unknown {
    const exception = new WsException({ capacity: 10 });
    return { error: exception.getError(), message: exception.message };
  }

  @SubscribeMessage('unknown')
  unknown(): never {
    throw new Error('db password is hunter2');
  }

  @SubscribeMessage('denied')
  @UseGuards(DenyGuard)
  denied(): string {
    return 'never';
  }

  @SubscribeMessage('quota')
  @UseFilters(QuotaFilter)
  quota(): never {
    throw new QuotaError('no more');
  }

  @SubscribeMessage('audited')
  @UseFilters(new AuditFilter())
  audited(@MessageBody() body: unknown): never {
    throw new WsException(`bad ${String(body)}`);
  }
}

@Module({ providers: [ErrorsGateway] })
export class ErrorsModule {}

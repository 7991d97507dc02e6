// Guards, pipes and interceptors that read NestJS's ExecutionContext / ArgumentsHost:
// switchToWs(), getClass(), getHandler(), getType(), getArgs(), Reflector.
import {
  Injectable,
  MessageBody,
  Module,
  Reflector,
  SetMetadata,
  SubscribeMessage,
  UseGuards,
  UseInterceptors,
  UsePipes,
  WebSocketGateway,
} from 'wiregate';
import type {
  ArgumentMetadata,
  CallHandler,
  CanActivate,
  ExecutionContext,
  NestInterceptor,
  PipeTransform,
  Socket,
} from 'wiregate';

export const Roles = (...roles: string[]) => SetMetadata('roles', roles);

/** What a NestJS guard or interceptor typically reads of its context. */
function describeContext(reflector: Reflector, context: ExecutionContext): Record<string, unknown> {
  const ws = context.switchToWs();
  return {
    type: context.getType(),
    cls: context.getClass().name,
    handler: context.getHandler().name,
    pattern: ws.getPattern(),
    data: ws.getData(),
    clientId: ws.getClient<Socket>().id,
    args: context.getArgs().map((arg) => typeof arg),
    arg1: context.getArgByIndex(1),
    roles: reflector.getAllAndOverride<string[]>('roles', [
      context.getHandler(),
      context.getClass(),
    ]),
    classRoles: reflector.get<string[]>('roles', context.getClass()),
  };
}

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    // Only messages: NestJS never runs guards at connection time.
    if (context.switchToWs().getPattern() === '') return true;
    const client = context.switchToWs().getClient<Socket>();
    if (context.switchToWs().getPattern() === 'look')
      client.data.guardSaw = describeContext(this.reflector, context);
    const roles = this.reflector.getAllAndOverride<string[]>('roles', [
      context.getHandler(),
      context.getClass(),
    ]);
    return roles.includes(String(client.handshake.auth.role));
  }
}

@Injectable()
export class SeeingInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler) {
    context.switchToWs().getClient<Socket>().data.interceptorSaw = describeContext(
      this.reflector,
      context,
    );
    return next.handle();
  }
}

export class SeeingPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    return {
      value,
      type: metadata.type,
      data: metadata.data ?? null,
      metatype: (metadata.metatype as { name?: string })?.name,
    };
  }
}

@Roles('user')
@UseGuards(RolesGuard)
@WebSocketGateway({ namespace: 'context' })
export class ContextGateway {
  @SubscribeMessage('look')
  @UseInterceptors(SeeingInterceptor)
  @UsePipes(new SeeingPipe())
  look(@MessageBody() body: string, @MessageBody('x') x: number): Record<string, unknown> {
    return { body, x };
  }

  @SubscribeMessage('seen')
  seen(client: Socket): unknown {
    return { guard: client.data.guardSaw, interceptor: client.data.interceptorSaw };
  }

  @SubscribeMessage('admin')
  @Roles('admin')
  admin(): string {
    return 'admin only';
  }
}

@Module({ providers: [ContextGateway] })
export class ContextModule {}

// Pipes as NestJS code uses them: ValidationPipe instances, @MessageBody('field', pipe)
// and NestJS 12's @MessageBody({ pipes }).
import { IsInt, IsString, Min } from 'class-validator';
import {
  MessageBody,
  Module,
  ParseIntPipe,
  SubscribeMessage,
  UsePipes,
  ValidationPipe,
  WebSocketGateway,
} from 'wiregate';

export class CreateItemDto {
  @IsString()
  name!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

@WebSocketGateway({ namespace: 'pipes' })
export class PipesGateway {
  @SubscribeMessage('create')
  @UsePipes(new ValidationPipe({ whitelist: true, transform: true }))
  create(@MessageBody() item: CreateItemDto): unknown {
    return { isDto: item instanceof CreateItemDto, item };
  }

  @SubscribeMessage('create:plain')
  @UsePipes(new ValidationPipe({ whitelist: true }))
  createPlain(@MessageBody() item: CreateItemDto): unknown {
    return { isDto: item instanceof CreateItemDto, item };
  }

  @SubscribeMessage('page')
  page(@MessageBody('page', ParseIntPipe) page: number): number {
    return page * 10;
  }

  @SubscribeMessage('count')
  count(@MessageBody({ pipes: [ParseIntPipe] }) count: number): number {
    return count + 1;
  }
}

@Module({ providers: [PipesGateway] })
export class PipesModule {}

// @WebSocketGateway(port, options) and socket.io options at the top level, as NestJS
// code writes them. The side port comes from COMPAT_SIDE_PORT (the test picks a free one).
import { Module, SubscribeMessage, WebSocketGateway } from 'wiregate';

const SIDE_PORT = Number(process.env.COMPAT_SIDE_PORT ?? 0);

@WebSocketGateway({ namespace: 'main', path: '/rt', cors: { origin: 'http://example.test' } })
export class MainGateway {
  @SubscribeMessage('where')
  where(): string {
    return 'main';
  }
}

@WebSocketGateway(SIDE_PORT, { namespace: 'side', transports: ['websocket'] })
export class SideGateway {
  @SubscribeMessage('where')
  where(): string {
    return 'side';
  }
}

@Module({ providers: [MainGateway, SideGateway] })
export class PortsModule {}

/**
 * The same gateway runs on every server of the cluster. Nothing in it knows about Redis:
 * rooms, broadcasts and `fetchSockets` span all servers because the app uses the Redis
 * adapter (see node.ts).
 * @module
 */
import { inject } from 'tsyringe';
import {
  ConnectedSocket,
  JoinRoom,
  MessageBody,
  SubscribeMessage,
  UseGuards,
  WebSocketGateway,
  WsException,
  type OnGatewayConnection,
  type Socket,
} from 'wiregate';
import { JoinDto, MessageDto } from './chat.dto';
import { NameGuard } from './name.guard';
import { NODE_NAME } from './node-name';

/** A chat message as every member of the room receives it. */
export interface ChatMessage {
  room: string;
  from: string;
  text: string;
  /** The server the sender is connected to. */
  server: string;
  at: number;
}

@WebSocketGateway({ namespace: '/chat' })
@UseGuards(NameGuard)
export class ChatGateway implements OnGatewayConnection {
  constructor(@inject(NODE_NAME) private readonly server: string) {}

  /** The guard has checked the name; keep it where every server can read it (`fetchSockets`). */
  handleConnection(socket: Socket): void {
    socket.data.name = socket.handshake.auth.name;
  }

  /** Joins the room and answers with who is in it, on every server. */
  @SubscribeMessage('chat:join')
  @JoinRoom((body: JoinDto) => `room:${body.room}`)
  async join(
    @MessageBody() body: JoinDto,
    @ConnectedSocket() socket: Socket,
  ): Promise<{ room: string; members: string[] }> {
    const sockets = await socket.nsp.in(`room:${body.room}`).fetchSockets();
    const members = sockets.map((s) => String(s.data.name)).sort();
    return { room: body.room, members };
  }

  /** Sends to the room's other members, wherever they are connected, and acks the sender. */
  @SubscribeMessage('chat:message')
  send(@MessageBody() body: MessageDto, @ConnectedSocket() socket: Socket): ChatMessage {
    if (!socket.rooms.has(`room:${body.room}`))
      throw new WsException(`Join ${body.room} first`, { code: 'NOT_A_MEMBER' });
    const message: ChatMessage = {
      room: body.room,
      from: String(socket.data.name),
      text: body.text,
      server: this.server,
      at: Date.now(),
    };
    socket.to(`room:${body.room}`).emit('chat:message', message);
    return message;
  }
}

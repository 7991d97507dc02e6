/**
 * The chat as a gateway: rooms with history, a name checked at connection, validated
 * payloads, acks for everything a client asks, and a typing indicator that may be dropped.
 * @module
 */
import {
  ConnectedSocket,
  JoinRoom,
  LeaveRoom,
  MessageBody,
  SubscribeMessage,
  UseGuards,
  WebSocketGateway,
  WebSocketServer,
  WsException,
  type Namespace,
  type OnGatewayDisconnect,
  type Socket,
} from 'wiregate';
import { ImageDto, MessageDto, RoomDto, TypingDto } from './chat.dto';
import { ChatService } from './chat.service';
import {
  CHAT_NAMESPACE,
  type ChatImage,
  type ChatMessage,
  type ImageReceipt,
  type JoinReply,
  type ServerEvents,
} from './events';
import { NameGuard } from './name.guard';

type ChatSocket = Socket<Record<string, never>, ServerEvents>;

const IMAGE_TYPE = /^image\/[a-z0-9.+-]+$/;

@WebSocketGateway({ namespace: CHAT_NAMESPACE })
@UseGuards(NameGuard)
export class ChatGateway implements OnGatewayDisconnect {
  @WebSocketServer() nsp!: Namespace<Record<string, never>, ServerEvents>;

  constructor(private readonly chat: ChatService) {}

  /** Joins the room (after validation), tells its members, and acks with history and members. */
  @SubscribeMessage('join')
  @JoinRoom((body: RoomDto) => body.room)
  join(@MessageBody() body: RoomDto, @ConnectedSocket() socket: ChatSocket): JoinReply {
    const name = socket.data.name as string;
    if (this.chat.join(body.room, socket.id, name))
      socket.to(body.room).emit('user:joined', { room: body.room, name });
    return {
      room: body.room,
      history: this.chat.history(body.room),
      members: this.chat.members(body.room),
    };
  }

  /** Leaves the room and tells the members left. */
  @SubscribeMessage('leave')
  @LeaveRoom((body: RoomDto) => body.room)
  leave(@MessageBody() body: RoomDto, @ConnectedSocket() socket: ChatSocket): { room: string } {
    const name = this.chat.leave(body.room, socket.id);
    // @LeaveRoom ran before the handler: this broadcast no longer reaches the socket that left.
    if (name !== undefined) this.nsp.to(body.room).emit('user:left', { room: body.room, name });
    return { room: body.room };
  }

  /** Stores the message, sends it to the room's other members, and acks the sender with it. */
  @SubscribeMessage('message')
  message(@MessageBody() body: MessageDto, @ConnectedSocket() socket: ChatSocket): ChatMessage {
    this.requireMember(body.room, socket);
    const message = this.chat.post(body.room, socket.data.name as string, body.text.trim());
    socket.to(body.room).emit('message', message);
    return message;
  }

  /**
   * Relays an image to the room's other members. Binary stays binary: a WebSocket binary
   * frame, or base64 inside a polling payload, decoded back to a Buffer on arrival.
   */
  @SubscribeMessage('image')
  image(@MessageBody() body: ImageDto, @ConnectedSocket() socket: ChatSocket): ImageReceipt {
    this.requireMember(body.room, socket);
    const type =
      body.type !== undefined && IMAGE_TYPE.test(body.type)
        ? body.type
        : 'application/octet-stream';
    const image: ChatImage = {
      id: this.chat.newId(),
      room: body.room,
      from: socket.data.name as string,
      type,
      data: body.data,
      at: Date.now(),
    };
    socket.to(body.room).emit('image', image);
    return { id: image.id, room: body.room, bytes: body.data.length };
  }

  /**
   * Relays "is typing" to the room's other members as a volatile broadcast: a client that
   * cannot take it right now misses it instead of receiving a stale indicator later.
   * No ack is needed; a client that sends one gets `true`.
   */
  @SubscribeMessage('typing')
  typing(@MessageBody() body: TypingDto, @ConnectedSocket() socket: ChatSocket): boolean {
    this.requireMember(body.room, socket);
    socket
      .to(body.room)
      .volatile.emit('typing', {
        room: body.room,
        name: socket.data.name as string,
        typing: body.typing,
      });
    return true;
  }

  /** The socket's rooms are already gone here: the service remembers where it was. */
  handleDisconnect(socket: ChatSocket): void {
    for (const { room, name } of this.chat.leaveAll(socket.id))
      this.nsp.to(room).emit('user:left', { room, name });
  }

  private requireMember(room: string, socket: ChatSocket): void {
    if (!this.chat.isMember(room, socket.id))
      throw new WsException(`Join ${room} first`, { code: 'NOT_A_MEMBER' });
  }
}

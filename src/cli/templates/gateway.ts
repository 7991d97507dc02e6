/**
 * Templates of `wiregate generate gateway`: the gateway class, its message DTO and a spec
 * that drives the gateway with a real Socket.IO client.
 * @module
 */
import type { Names } from '../names';

/** What the gateway templates need to know. */
export interface GatewayTemplateOptions {
  readonly names: Names;
  /** Namespace such as `/chat`, or `undefined` for the main namespace. */
  readonly namespace: string | undefined;
}

/** The event the generated gateway handles: `chat-room:message`. */
export function gatewayEvent({ names }: GatewayTemplateOptions): string {
  return `${names.kebab}:message`;
}

/** The DTO's file name without extension: `chat-room-message.dto`. */
export function gatewayDtoFile({ names }: GatewayTemplateOptions): string {
  return `${names.kebab}-message.dto`;
}

/** `<name>.gateway.ts` */
export function gatewayTemplate(options: GatewayTemplateOptions): string {
  const { names, namespace } = options;
  const event = gatewayEvent(options);
  const gatewayOptions = namespace === undefined ? '' : `{ namespace: '${namespace}' }`;
  return `import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from 'wiregate';
import type { Socket } from 'wiregate';
import { ${names.pascal}MessageDto } from './${gatewayDtoFile(options)}';

/** Handles \`${event}\` on ${namespace === undefined ? 'the main namespace' : `the \`${namespace}\` namespace`}. */
@WebSocketGateway(${gatewayOptions})
export class ${names.pascal}Gateway {
  /**
   * Relays a validated message to every other socket of the namespace and answers the
   * sender's acknowledgement with it.
   */
  @SubscribeMessage('${event}')
  handleMessage(
    @MessageBody() message: ${names.pascal}MessageDto,
    @ConnectedSocket() socket: Socket,
  ): ${names.pascal}MessageDto {
    socket.broadcast.emit('${event}', message);
    return message;
  }
}
`;
}

/** `<name>-message.dto.ts` */
export function gatewayDtoTemplate(options: GatewayTemplateOptions): string {
  return `import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** The payload of \`${gatewayEvent(options)}\`, validated before the handler runs. */
export class ${options.names.pascal}MessageDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  text!: string;
}
`;
}

/** `<name>.gateway.spec.ts` */
export function gatewaySpecTemplate(options: GatewayTemplateOptions): string {
  const { names, namespace } = options;
  const event = gatewayEvent(options);
  return `import { createTestingApp, waitFor, type TestingApp } from 'wiregate/testing';
import { ${names.pascal}Gateway } from './${names.kebab}.gateway';

const NAMESPACE = '${namespace ?? '/'}';

describe('${names.pascal}Gateway', () => {
  let app: TestingApp;

  beforeEach(async () => {
    app = await createTestingApp({ gateways: [${names.pascal}Gateway] });
  });

  afterEach(async () => {
    await app.close();
  });

  it('acknowledges a valid message with the message', async () => {
    const client = await app.connect(NAMESPACE);
    await expect(client.emitWithAck('${event}', { text: 'hello' })).resolves.toEqual({ text: 'hello' });
  });

  it('relays the message to the other clients', async () => {
    const sender = await app.connect(NAMESPACE);
    const receiver = await app.connect(NAMESPACE);
    const received = waitFor(receiver, '${event}');
    await sender.emitWithAck('${event}', { text: 'hello' });
    await expect(received).resolves.toEqual({ text: 'hello' });
  });

  it('answers an invalid message with a validation error', async () => {
    const client = await app.connect(NAMESPACE);
    const reply = await client.emitWithAck('${event}', { text: 42 });
    expect(reply).toMatchObject({ error: { code: 'WG_ERR_VALIDATION' } });
  });
});
`;
}

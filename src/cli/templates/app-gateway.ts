/**
 * Templates of the first gateway of a new project: `AppGateway` answering `echo`, its DTO
 * and its spec.
 * @module
 */

/** src/app.gateway.ts */
export function appGatewayTemplate(): string {
  return `import { MessageBody, SubscribeMessage, WebSocketGateway } from 'wiregate';
import { EchoDto } from './echo.dto';

/** The first gateway: answers \`echo\` on the main namespace. */
@WebSocketGateway()
export class AppGateway {
  /** Answers the client's acknowledgement with the validated payload. */
  @SubscribeMessage('echo')
  echo(@MessageBody() body: EchoDto): EchoDto {
    return body;
  }
}
`;
}

/** src/echo.dto.ts */
export function echoDtoTemplate(): string {
  return `import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** The payload of \`echo\`: checked before the handler runs. */
export class EchoDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  text!: string;
}
`;
}

/** src/app.gateway.spec.ts */
export function appGatewaySpecTemplate(): string {
  return `import { io } from 'socket.io-client';
import { createTestingApp, type TestingApp } from 'wiregate/testing';
import { AppGateway } from './app.gateway';

describe('AppGateway', () => {
  let app: TestingApp;

  beforeEach(async () => {
    app = await createTestingApp({ gateways: [AppGateway] });
  });

  afterEach(async () => {
    await app.close();
  });

  it('echoes a valid payload in the acknowledgement', async () => {
    const client = await app.connect('/');
    await expect(client.emitWithAck('echo', { text: 'hello' })).resolves.toEqual({ text: 'hello' });
  });

  it('talks to any Socket.IO v4 client', async () => {
    const client = io(app.url('/'), { transports: ['websocket'] });
    try {
      await expect(client.emitWithAck('echo', { text: 'hi' })).resolves.toEqual({ text: 'hi' });
    } finally {
      client.close();
    }
  });

  it('answers an invalid payload with a validation error', async () => {
    const client = await app.connect('/');
    const reply = await client.emitWithAck('echo', { text: '' });
    expect(reply).toMatchObject({ error: { code: 'WG_ERR_VALIDATION' } });
  });
});
`;
}

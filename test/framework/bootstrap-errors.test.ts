import { IsString } from 'class-validator';
import { injectable } from 'tsyringe';
import {
  createApp,
  MessageBody,
  SubscribeMessage,
  UseGuards,
  WebSocketGateway,
  WiregateError,
  type AppOptions,
} from '../../src';

async function bootstrapMessage(options: AppOptions): Promise<string> {
  try {
    const app = await createApp(options);
    await app.close();
  } catch (err) {
    expect(err).toBeInstanceOf(WiregateError);
    expect((err as WiregateError).code).toBe('WG_ERR_BOOTSTRAP');
    return (err as Error).message;
  }
  throw new Error('createApp did not fail');
}

class NotAGateway {}

@WebSocketGateway({ namespace: '/a' })
class FirstGateway {
  @SubscribeMessage('hello')
  hello(): string {
    return 'first';
  }
}

@WebSocketGateway({ namespace: 'a' })
class SecondGateway {
  @SubscribeMessage('hello')
  greet(): string {
    return 'second';
  }
}

@WebSocketGateway()
class UndecoratedParamGateway {
  @SubscribeMessage('x')
  x(@MessageBody() body: unknown, socket: unknown): unknown {
    return [body, socket];
  }
}

class NoteDto {
  @IsString()
  text!: string;
}

@WebSocketGateway({ namespace: '/dto' })
class UndecoratedDtoGateway {
  @SubscribeMessage('x')
  x(_client: unknown, note: NoteDto): unknown {
    return note;
  }
}

@WebSocketGateway(1.5)
class BadPortGateway {}

class BrokenProvider {
  constructor() {
    throw new Error('no database');
  }
}

@WebSocketGateway()
class ReservedGateway {
  @SubscribeMessage('disconnect')
  bye(): void {}
}

interface Clock {
  now(): number;
}

@WebSocketGateway()
class InterfaceDependencyGateway {
  constructor(readonly clock: Clock) {}
}

class NeedsDeps {
  constructor(readonly dep: FirstGateway) {}
}

@WebSocketGateway()
class MissingInjectableGateway {
  constructor(readonly deps: NeedsDeps) {}
}

@injectable()
class NotAGuard {}

@WebSocketGateway()
@UseGuards(NotAGuard as never)
class BadGuardGateway {}

@WebSocketGateway()
class FailingInitGateway {
  afterInit(): void {
    throw new Error('cannot reach the database');
  }
}

describe('bootstrap errors', () => {
  it('names a class listed without @WebSocketGateway', async () => {
    await expect(bootstrapMessage({ gateways: [NotAGateway] })).resolves.toMatch(
      /NotAGateway .*no @WebSocketGateway\(\)/,
    );
  });

  it('names both handlers of a conflicting event in one namespace', async () => {
    const message = await bootstrapMessage({ gateways: [FirstGateway, SecondGateway] });
    expect(message).toContain('FirstGateway.hello');
    expect(message).toContain('SecondGateway.greet');
  });

  it('starts with an undecorated parameter beside a decorated one, warning that it names it', async () => {
    const warnings: unknown[] = [];
    const logger = {
      log: () => undefined,
      error: () => undefined,
      warn: (m: unknown) => warnings.push(m),
    };
    const app = await createApp({ gateways: [UndecoratedParamGateway], logger });
    await app.close();
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0])).toMatch(
      /Parameter #1 of UndecoratedParamGateway\.x has no decorator while others have one: it receives the payload/,
    );
  });

  it('warns when an undecorated payload parameter is typed with a DTO (it is not validated)', async () => {
    const warnings: unknown[] = [];
    const logger = {
      log: () => undefined,
      error: () => undefined,
      warn: (m: unknown) => warnings.push(m),
    };
    const app = await createApp({ gateways: [UndecoratedDtoGateway], logger });
    await app.close();
    expect(warnings).toEqual([
      expect.stringMatching(
        /Parameter #1 of UndecoratedDtoGateway\.x is typed with NoteDto but has no @MessageBody\(\): it receives the raw payload, not validated/,
      ),
    ]);
  });

  it('refuses a gateway port that is not a port number', async () => {
    await expect(bootstrapMessage({ gateways: [BadPortGateway] })).resolves.toMatch(
      /@WebSocketGateway\(1\.5\) on BadPortGateway: the port must be an integer/,
    );
  });

  it('builds module providers at start-up, naming one that cannot be built', async () => {
    await expect(
      bootstrapMessage({ gateways: [FirstGateway], providers: [BrokenProvider] }),
    ).resolves.toMatch(/Cannot create provider BrokenProvider\nReason: .*no database/s);
  });

  it('refuses handlers for reserved events', async () => {
    await expect(bootstrapMessage({ gateways: [ReservedGateway] })).resolves.toMatch(
      /"disconnect" is reserved/,
    );
  });

  it('explains a constructor parameter typed with an interface', async () => {
    await expect(bootstrapMessage({ gateways: [InterfaceDependencyGateway] })).resolves.toMatch(
      /parameter #0 of InterfaceDependencyGateway: its type is Object.*@inject\(token\)/s,
    );
  });

  it('explains a dependency without @injectable()', async () => {
    const message = await bootstrapMessage({ gateways: [MissingInjectableGateway] });
    expect(message).toMatch(/Cannot create gateway MissingInjectableGateway/);
    expect(message).toMatch(/missing @injectable\(\), or emitDecoratorMetadata is off/);
    expect(message).toMatch(/Reason: /);
  });

  it('names a guard without canActivate and where it is used', async () => {
    await expect(bootstrapMessage({ gateways: [BadGuardGateway] })).resolves.toMatch(
      /guard NotAGuard used on BadGuardGateway has no canActivate/,
    );
  });

  it('wraps an afterInit failure with the gateway name and the cause', async () => {
    await expect(bootstrapMessage({ gateways: [FailingInitGateway] })).resolves.toMatch(
      /FailingInitGateway\.afterInit failed\nReason: cannot reach the database/,
    );
  });

  it('refuses a bad handlerTimeout', async () => {
    await expect(bootstrapMessage({ gateways: [], handlerTimeout: -1 })).resolves.toMatch(
      /handlerTimeout/,
    );
  });
});

// Unit tests of the compiled pipeline, driven with a hand-made socket-like object: they
// check the properties that are invisible over the wire (synchronous answers, one answer).
import type { Socket } from '../../src/server';
import {
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WsException,
  type CanActivate,
} from '../../src';
import { compileHandler, type HandlerDeps } from '../../src/framework/pipeline/compile-handler';
import { scanGateway } from '../../src/framework/scanner';
import { DEFAULT_VALIDATION } from '../../src/framework/pipeline/validation';
import { IsInt } from 'class-validator';

class CountDto {
  @IsInt()
  count!: number;
}

@WebSocketGateway()
class UnitGateway {
  @SubscribeMessage('double')
  double(@MessageBody() n: number): number {
    return n * 2;
  }

  @SubscribeMessage('count')
  count(@MessageBody() dto: CountDto): number {
    return dto.count + 1;
  }

  @SubscribeMessage('fail')
  fail(): never {
    throw new WsException('nope', { code: 'NOPE' });
  }
}

function fakeSocket(): { socket: Socket; emitted: unknown[][] } {
  const emitted: unknown[][] = [];
  const socket = {
    id: 'fake',
    data: {},
    handshake: {},
    emit: (...args: unknown[]) => emitted.push(args),
  } as unknown as Socket;
  return { socket, emitted };
}

function compile(event: string, overrides: Partial<HandlerDeps> = {}) {
  const plan = scanGateway(UnitGateway);
  const handler = plan.handlers.find((h) => h.event === event)!;
  return compileHandler(handler, {
    instance: new UnitGateway(),
    guards: [],
    interceptors: [],
    filters: [],
    sharedPipes: [],
    resolvePipe: () => {
      throw new Error('no pipes here');
    },
    validation: false,
    timeoutMs: 1000,
    logger: { log: () => undefined, error: () => undefined },
    scopes: { resolve: () => undefined as never },
    ...overrides,
  });
}

describe('compileHandler', () => {
  it('answers a fully synchronous chain before run() returns (no Promise on the way)', () => {
    const guard: CanActivate = { canActivate: () => true };
    const { run } = compile('double', { guards: [guard, guard] });
    const { socket } = fakeSocket();
    const replies: unknown[] = [];
    const thenSpy = jest.spyOn(Promise.prototype, 'then');
    try {
      run(socket, [21, (reply: unknown) => replies.push(reply)]);
      expect(thenSpy).not.toHaveBeenCalled();
    } finally {
      thenSpy.mockRestore();
    }
    expect(replies).toEqual([42]);
  });

  it('keeps DTO validation synchronous: valid and invalid payloads are answered before run() returns', () => {
    const { run } = compile('count', { validation: DEFAULT_VALIDATION });
    const { socket } = fakeSocket();
    const replies: unknown[] = [];
    const thenSpy = jest.spyOn(Promise.prototype, 'then');
    try {
      run(socket, [{ count: 1 }, (reply: unknown) => replies.push(reply)]);
      run(socket, [{ count: 'x' }, (reply: unknown) => replies.push(reply)]);
      expect(thenSpy).not.toHaveBeenCalled();
    } finally {
      thenSpy.mockRestore();
    }
    expect(replies).toEqual([2, { error: expect.objectContaining({ code: 'WG_ERR_VALIDATION' }) }]);
  });

  it('answers a synchronous failure synchronously, once, in the error shape', () => {
    const { run } = compile('fail');
    const { socket } = fakeSocket();
    const replies: unknown[] = [];
    run(socket, [(reply: unknown) => replies.push(reply)]);
    expect(replies).toEqual([{ error: { code: 'NOPE', message: 'nope' } }]);
  });

  it('goes async only when a stage returns a thenable, and answers once', async () => {
    const guard: CanActivate = { canActivate: async () => true };
    const { run } = compile('double', { guards: [guard] });
    const { socket } = fakeSocket();
    const replies: unknown[] = [];
    const answered = new Promise((resolve) =>
      run(socket, [2, (reply: unknown) => resolve(replies.push(reply))]),
    );
    expect(replies).toEqual([]);
    await answered;
    expect(replies).toEqual([4]);
  });

  it('emits the exception event when there is no ack', () => {
    const { run } = compile('double', { guards: [{ canActivate: () => false }] });
    const { socket, emitted } = fakeSocket();
    run(socket, [1]);
    expect(emitted).toEqual([
      ['exception', { error: { code: 'WG_ERR_FORBIDDEN', message: 'Forbidden' } }],
    ]);
  });
});

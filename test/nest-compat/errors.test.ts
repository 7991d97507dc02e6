// NestJS's exceptions and filters: with createApp({ errors: 'nestjs' }) wiregate sends
// exactly what NestJS sends; filters that emit their own reply own it in either mode.
import { createTestingApp, type TestingApp } from '../../src/testing';
import { WsException } from '../../src';
import { ErrorsGateway, ErrorsModule } from './gateways/errors.gateway';
import { eventsAfter, startBoth, type Both } from './support/both';

describe("NestJS exceptions, on NestJS and on wiregate with errors: 'nestjs'", () => {
  let both: Both;
  const logged: unknown[][] = [];

  beforeAll(async () => {
    const logger = { log: () => undefined, error: (...a: unknown[]) => logged.push(a) };
    both = await startBoth(
      require.resolve('./gateways/errors.gateway'),
      'ErrorsModule',
      ErrorsModule,
      {
        errors: 'nestjs',
        logger,
      },
    );
  });

  afterAll(() => both.close());

  it.each([
    [
      'string',
      [],
      [['exception', { status: 'error', message: 'Room is full', cause: { pattern: 'string' } }]],
    ],
    ['object', [], [['exception', { code: 'ROOM_FULL', message: 'Room is full', capacity: 10 }]]],
    [
      'unknown',
      [7],
      [
        [
          'exception',
          {
            status: 'error',
            message: 'Internal server error',
            cause: { pattern: 'unknown', data: 7 },
          },
        ],
      ],
    ],
    [
      'denied',
      [],
      [
        [
          'exception',
          {
            status: 'error',
            message: 'Forbidden resource',
            cause: { pattern: 'denied' },
          },
        ],
      ],
    ],
    ['quota', [], [['quota', { reason: 'no more', pattern: 'quota' }]]],
    [
      'audited',
      ['x'],
      [
        ['audited', 'bad x'],
        [
          'exception',
          { status: 'error', message: 'bad x', cause: { pattern: 'audited', data: 'x' } },
        ],
      ],
    ],
  ])('answers %s as NestJS does', async (event, args, expected) => {
    const [ours, nest] = await both.run(async (connect) =>
      eventsAfter(await connect('/errors'), event, args),
    );
    expect(nest).toEqual(expected);
    expect(ours).toEqual(nest);
  });

  it('never acks a failed message, and logs unknown errors without sending them', async () => {
    logged.length = 0;
    const [ours, nest] = await both.run(async (connect) => {
      const client = await connect('/errors');
      const acked = await client
        .timeout(300)
        .emitWithAck('unknown')
        .then(
          () => 'acked',
          () => 'not acked',
        );
      return acked;
    });
    expect(nest).toBe('not acked');
    expect(ours).toBe(nest);
    expect(String(logged[0]?.[0])).toContain('ErrorsGateway.unknown');
  });

  it('keeps getError() and derives the message as NestJS does', async () => {
    const [ours, nest] = await both.run(async (connect) =>
      (await connect('/errors')).timeout(5000).emitWithAck('get-error'),
    );
    expect(nest).toEqual({ error: { capacity: 10 }, message: 'Ws Exception' });
    expect(ours).toEqual(nest);
  });
});

describe("WsException objects in wiregate's own error shape (the default)", () => {
  let t: TestingApp;

  beforeEach(async () => {
    t = await createTestingApp({
      gateways: [ErrorsGateway],
      logger: { log: () => undefined, error: () => undefined },
    });
  });

  afterEach(() => t.close());

  it('sends an object error as { code, message, details } through the ack', async () => {
    const client = await t.connect('/errors');
    await expect(client.emitWithAck('object')).resolves.toEqual({
      error: { code: 'ROOM_FULL', message: 'Room is full', details: { capacity: 10 } },
    });
  });

  it('lets a filter that emits its own reply own it: no error reply follows', async () => {
    const client = await t.connect('/errors');
    await expect(eventsAfter(client, 'quota', [])).resolves.toEqual([
      ['quota', { reason: 'no more', pattern: 'quota' }],
    ]);
  });

  it('builds WsException as before from a message and options', () => {
    const e = new WsException('Room is full', { code: 'ROOM_FULL', details: { capacity: 1 } });
    expect(e.toBody()).toEqual({
      code: 'ROOM_FULL',
      message: 'Room is full',
      details: { capacity: 1 },
    });
    expect(e.getError()).toBe('Room is full');
  });
});

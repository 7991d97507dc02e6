import { WS_ERROR_CODES } from '../../src';
import { createTestingApp, waitFor, type TestingApp } from '../../src/testing';
import { ErrorsGateway, WrapInterceptor } from '../fixtures/gateways/errors.gateway';

describe('errors, filters and interceptors', () => {
  let t: TestingApp;
  let logged: unknown[][];

  beforeEach(async () => {
    logged = [];
    const logger = { log: () => undefined, error: (...args: unknown[]) => logged.push(args) };
    // WrapInterceptor uses next.handle()'s value synchronously: wiregate's value style.
    t = await createTestingApp({
      gateways: [ErrorsGateway],
      handlerTimeout: 50,
      logger,
      callHandler: 'value',
    });
  });

  afterEach(async () => {
    await t.close();
  });

  it('sends a WsException as { error: { code, message, details } } through the ack', async () => {
    const client = await t.connect('/errors');
    await expect(client.emitWithAck('ws-exception')).resolves.toEqual({
      error: { code: 'ROOM_FULL', message: 'Room is full', details: { roomId: 'r1' } },
    });
    expect(logged).toEqual([]);
  });

  it('sends the same shape as an exception event when the client sent no ack', async () => {
    const client = await t.connect('/errors');
    const exception = waitFor(client, 'exception');
    client.emit('ws-exception');
    await expect(exception).resolves.toEqual({
      error: { code: 'ROOM_FULL', message: 'Room is full', details: { roomId: 'r1' } },
    });
  });

  it.each(['unknown', 'unknown:async'])(
    'hides unknown errors (%s): generic message, no stack, logged server-side',
    async (event) => {
      const client = await t.connect('/errors');
      const reply = await client.emitWithAck(event);
      expect(reply).toEqual({
        error: { code: WS_ERROR_CODES.INTERNAL, message: 'Internal server error' },
      });
      expect(JSON.stringify(reply)).not.toMatch(/hunter2|secret|at /);
      expect(logged).toHaveLength(1);
      expect(String(logged[0][0])).toContain(
        `ErrorsGateway.${event === 'unknown' ? 'unknown' : 'unknownAsync'}`,
      );
    },
  );

  it('lets a method filter with @Catch turn a custom error into an error body', async () => {
    const client = await t.connect('/errors');
    await expect(client.emitWithAck('quota')).resolves.toEqual({
      error: { code: 'QUOTA', message: 'Quota exceeded', details: { remaining: 3 } },
    });
  });

  it('lets a class filter rewrite errors and fall back to the default for the rest', async () => {
    const client = await t.connect('/errors');
    await expect(client.emitWithAck('rewrite')).resolves.toEqual({
      error: { code: 'REWRITTEN', message: 'in rewrite' },
    });
    await expect(client.emitWithAck('ws-exception')).resolves.toMatchObject({
      error: { code: 'ROOM_FULL' },
    });
  });

  it('runs interceptors before and after the handler and lets them map the result', async () => {
    WrapInterceptor.log = [];
    const client = await t.connect('/errors');
    await expect(client.emitWithAck('wrapped', 21)).resolves.toEqual({ wrapped: 42 });
    expect(WrapInterceptor.log).toEqual(['before wrapped', 'handler', 'after wrapped']);
  });

  it('nests interceptors, first listed outermost, sync inside async', async () => {
    const client = await t.connect('/errors');
    await expect(client.emitWithAck('timed')).resolves.toEqual({
      result: { wrapped: 'ok' },
      timed: true,
    });
  });

  it('answers with WG_ERR_HANDLER_TIMEOUT when a handler never settles', async () => {
    const client = await t.connect('/errors');
    await expect(client.emitWithAck('never')).resolves.toEqual({
      error: {
        code: WS_ERROR_CODES.HANDLER_TIMEOUT,
        message: 'Handler for "never" did not answer within 50 ms',
      },
    });
  });

  it('still answers when the reply itself cannot be sent (reserved event name)', async () => {
    const client = await t.connect('/errors');
    await expect(client.emitWithAck('emit-reserved')).resolves.toEqual({
      error: { code: WS_ERROR_CODES.INTERNAL, message: 'Internal server error' },
    });
  });
});

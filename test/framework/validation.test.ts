import { WS_ERROR_CODES } from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { SuffixPipe, ValidationGateway } from '../fixtures/gateways/validation.gateway';

const validOrder = {
  customer: 'ann',
  address: { city: 'Oslo' },
  items: [
    { sku: 'a', quantity: 2 },
    { sku: 'b', quantity: 3 },
  ],
};

function properties(reply: unknown): string[] {
  const details = (reply as { error: { details: { property: string }[] } }).error.details;
  return details.map((d) => d.property).sort();
}

describe('validation and pipes', () => {
  let t: TestingApp;

  beforeEach(async () => {
    t = await createTestingApp({ gateways: [ValidationGateway] });
  });

  afterEach(async () => {
    await t.close();
  });

  it('turns a valid payload into a DTO instance with nested instances', async () => {
    const client = await t.connect('/orders');
    await expect(client.emitWithAck('order', validOrder)).resolves.toEqual({
      isInstance: true,
      total: 5,
      order: validOrder,
    });
  });

  it('reports every failing property, nested objects and array items included', async () => {
    const client = await t.connect('/orders');
    const reply = await client.emitWithAck('order', {
      customer: '',
      address: { city: 5 },
      items: [
        { sku: 'a', quantity: 0 },
        { sku: 3, quantity: 1 },
      ],
    });
    expect(reply).toMatchObject({
      error: { code: WS_ERROR_CODES.VALIDATION, message: 'Validation failed' },
    });
    expect(properties(reply)).toEqual([
      'address.city',
      'customer',
      'items.0.quantity',
      'items.1.sku',
    ]);
    const city = (
      reply as { error: { details: { property: string; constraints: object }[] } }
    ).error.details.find((d) => d.property === 'address.city');
    expect(Object.keys(city!.constraints).sort()).toEqual(['isLength', 'isString']);
  });

  it('refuses unknown properties by default and strips them when forbidNonWhitelisted is off for a handler', async () => {
    const client = await t.connect('/orders');
    const refused = await client.emitWithAck('order', { ...validOrder, admin: true });
    expect(properties(refused)).toEqual(['admin']);
    await expect(
      client.emitWithAck('order:lenient', { ...validOrder, admin: true }),
    ).resolves.toEqual(validOrder);
  });

  it('skips validation where it is turned off', async () => {
    const client = await t.connect('/orders');
    await expect(client.emitWithAck('order:raw', { anything: 1 })).resolves.toEqual({
      isInstance: false,
    });
  });

  it('never lets __proto__ or constructor keys through, at any depth', async () => {
    const client = await t.connect('/orders');
    // JSON text so that __proto__ is an own key, as a hostile client would send it.
    const hostile = JSON.parse(
      '{"customer":"ann","__proto__":{"polluted":true},"address":{"city":"Oslo","constructor":{"prototype":{"polluted":true}}},"items":[]}',
    );
    const reply = await client.emitWithAck('order', hostile);
    expect(properties(reply)).toEqual(['__proto__', 'address.constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a payload that is not an object', async () => {
    const client = await t.connect('/orders');
    await expect(client.emitWithAck('order', 'text')).resolves.toMatchObject({
      error: { code: WS_ERROR_CODES.VALIDATION },
    });
  });

  it('validates a single property of the payload against its DTO', async () => {
    const client = await t.connect('/orders');
    await expect(client.emitWithAck('address', { address: { city: 'Rome' } })).resolves.toEqual({
      city: 'Rome',
    });
    const reply = await client.emitWithAck('address', { address: { city: 'R' } });
    expect(properties(reply)).toEqual(['city']);
  });

  it('applies parse pipes and default values per property', async () => {
    const client = await t.connect('/orders');
    await expect(client.emitWithAck('page', { page: '3', all: 'true' })).resolves.toEqual({
      page: 3,
      all: true,
    });
    await expect(client.emitWithAck('page', {})).resolves.toEqual({ page: 1, all: false });
    await expect(client.emitWithAck('page', { page: 'x' })).resolves.toEqual({
      error: {
        code: WS_ERROR_CODES.BAD_REQUEST,
        message: 'page must be an integer',
        details: { property: 'page', expected: 'an integer' },
      },
    });
  });

  it('runs @UsePipes before parameter pipes, sync and async, with argument metadata', async () => {
    SuffixPipe.seen = [];
    const client = await t.connect('/orders');
    await expect(client.emitWithAck('shout', 'hey')).resolves.toBe('HEY!!');
    expect(SuffixPipe.seen).toEqual([
      { type: 'body', metatype: String, data: undefined, index: 0 },
    ]);
  });

  it('answers a pipe that throws a WsException with its code', async () => {
    const client = await t.connect('/orders');
    await expect(client.emitWithAck('pure', 'evil')).resolves.toEqual({
      error: { code: 'EVIL', message: 'No evil' },
    });
    await expect(client.emitWithAck('pure', 'good')).resolves.toBe('good');
  });
});

describe('app-wide validation options and pipes', () => {
  it('apply to every handler', async () => {
    const t = await createTestingApp({
      gateways: [ValidationGateway],
      validation: { forbidNonWhitelisted: false },
      pipes: [
        {
          transform: (v: unknown) =>
            typeof v === 'object' && v !== null ? { ...v, piped: true } : v,
        },
      ],
    });
    try {
      const client = await t.connect('/orders');
      const reply = await client.emitWithAck('order:lenient', { ...validOrder, admin: true });
      expect(reply).toEqual({ ...validOrder, piped: true });
    } finally {
      await t.close();
    }
  });
});

// Encoder: literal wire strings from docs/internals/wire-protocol.md, "Encoding and decoding" and "Binary attachments".
import { encodePacket, hasBinary, PacketType, type Packet } from '../../src/protocol';
import { WiregateError } from '../../src/shared/errors';

const { CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK } = PacketType;

describe('encodePacket: wire-protocol.md encoding examples', () => {
  it.each<[string, Packet, string]>([
    ['CONNECT / no auth', { type: CONNECT, nsp: '/' }, '0'],
    [
      'CONNECT /admin with auth',
      { type: CONNECT, nsp: '/admin', data: { token: '123' } },
      '0/admin,{"token":"123"}',
    ],
    [
      'CONNECT reply /admin',
      { type: CONNECT, nsp: '/admin', data: { sid: 'oSO0OpakMV_3jnilAAAA' } },
      '0/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}',
    ],
    [
      'CONNECT_ERROR /',
      { type: CONNECT_ERROR, nsp: '/', data: { message: 'Not authorized' } },
      '4{"message":"Not authorized"}',
    ],
    ['EVENT / ["foo"]', { type: EVENT, nsp: '/', data: ['foo'] }, '2["foo"]'],
    [
      'EVENT /admin ack 13',
      { type: EVENT, nsp: '/admin', id: 13, data: ['bar'] },
      '2/admin,13["bar"]',
    ],
    ['ACK / id 12 no args', { type: ACK, nsp: '/', id: 12, data: [] }, '312[]'],
    ['DISCONNECT /admin', { type: DISCONNECT, nsp: '/admin' }, '1/admin,'],
    ['DISCONNECT /', { type: DISCONNECT, nsp: '/' }, '1'],
    [
      'EVENT with ack id 0',
      { type: EVENT, nsp: '/', id: 0, data: ['question', { q: 42 }] },
      '20["question",{"q":42}]',
    ],
    ['empty nsp treated as /', { type: EVENT, nsp: '', data: ['x'] }, '2["x"]'],
  ])('%s', (_name, packet, wire) => {
    expect(encodePacket(packet)).toEqual([wire]);
  });

  it('BINARY_EVENT / ["baz", <01 02 03 04>]', () => {
    const [text, ...buffers] = encodePacket({
      type: EVENT,
      nsp: '/',
      data: ['baz', Buffer.from([1, 2, 3, 4])],
    });
    expect(text).toBe('51-["baz",{"_placeholder":true,"num":0}]');
    expect(buffers).toEqual([Buffer.from([1, 2, 3, 4])]);
  });

  it('BINARY_ACK /admin id 15', () => {
    const [text, ...buffers] = encodePacket({
      type: ACK,
      nsp: '/admin',
      id: 15,
      data: [Buffer.from([0, 1, 2])],
    });
    expect(text).toBe('61-/admin,15[{"_placeholder":true,"num":0}]');
    expect(buffers).toEqual([Buffer.from([0, 1, 2])]);
  });
});

describe('encodePacket: binary attachments (§3.3)', () => {
  it('numbers attachments depth-first, arrays in order, object keys in insertion order', () => {
    const data = [
      'upload',
      { a: Buffer.from([0x0a, 0x0b]), nested: [{ deep: new Uint8Array([1]) }] },
      Buffer.from([0x0c]),
    ];
    const [text, ...buffers] = encodePacket({ type: EVENT, nsp: '/', data });
    expect(text).toBe(
      '53-["upload",{"a":{"_placeholder":true,"num":0},"nested":[{"deep":{"_placeholder":true,"num":1}}]},{"_placeholder":true,"num":2}]',
    );
    expect(buffers.map((b) => [...b])).toEqual([[0x0a, 0x0b], [1], [0x0c]]);
  });

  it('encodes an ArrayBuffer as exactly its bytes', () => {
    const ab = new Uint8Array([9, 8, 7]).buffer;
    const [text, buf] = encodePacket({ type: EVENT, nsp: '/', data: ['ab', ab] });
    expect(text).toBe('51-["ab",{"_placeholder":true,"num":0}]');
    expect(Buffer.isBuffer(buf)).toBe(true);
    expect([...buf]).toEqual([9, 8, 7]);
  });

  it('encodes a Uint8Array view with byteOffset as exactly its bytes', () => {
    const backing = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]);
    const view = new Uint8Array(backing.buffer, 2, 3);
    const [, buf] = encodePacket({ type: EVENT, nsp: '/', data: ['v', view] });
    expect([...buf]).toEqual([2, 3, 4]);
  });

  it('encodes a Float32Array view with byteOffset as exactly its bytes', () => {
    const backing = new Float32Array([1.5, 2.5, 3.5, 4.5]);
    const view = new Float32Array(backing.buffer, 4, 2);
    const [, buf] = encodePacket({ type: EVENT, nsp: '/', data: ['f', view] });
    expect(buf.length).toBe(8);
    expect(buf.equals(Buffer.from(backing.buffer, 4, 8))).toBe(true);
    expect(buf.readFloatLE(0)).toBe(2.5);
    expect(buf.readFloatLE(4)).toBe(3.5);
  });

  it('encodes a DataView and a Buffer slice of a pooled Buffer as exactly their bytes', () => {
    const pooled = Buffer.from('hello world');
    const slice = pooled.subarray(6, 11);
    const dv = new DataView(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2);
    const [, a, b] = encodePacket({ type: EVENT, nsp: '/', data: ['x', slice, dv] });
    expect(a.toString()).toBe('world');
    expect([...b]).toEqual([2, 3]);
  });

  it('turns ACK with binary into BINARY_ACK with the count', () => {
    const [text, ...buffers] = encodePacket({
      type: ACK,
      nsp: '/',
      id: 3,
      data: [{ x: [Buffer.alloc(1), Buffer.alloc(2)] }],
    });
    expect(text).toBe('62-3[{"x":[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]}]');
    expect(buffers).toHaveLength(2);
  });

  it('never mutates the caller data', () => {
    const buf = Buffer.from([1]);
    const inner = { b: buf };
    const data = ['e', inner, [buf]];
    encodePacket({ type: EVENT, nsp: '/', data });
    expect(data[1]).toBe(inner);
    expect(inner.b).toBe(buf);
    expect((data[2] as unknown[])[0]).toBe(buf);
  });

  it('does not walk Dates and keeps their JSON form', () => {
    const date = new Date(0);
    expect(encodePacket({ type: EVENT, nsp: '/', data: ['d', date] })).toEqual([
      '2["d","1970-01-01T00:00:00.000Z"]',
    ]);
    const [text] = encodePacket({ type: EVENT, nsp: '/', data: ['d', date, Buffer.alloc(1)] });
    expect(text).toBe('51-["d","1970-01-01T00:00:00.000Z",{"_placeholder":true,"num":0}]');
  });

  it('keeps an own "__proto__" key of the data as a key', () => {
    const data = JSON.parse('["p",{"__proto__":{"x":1},"b":null}]') as unknown[];
    (data[1] as Record<string, unknown>).b = Buffer.from([5]);
    const [text] = encodePacket({ type: EVENT, nsp: '/', data });
    expect(text).toBe('51-["p",{"__proto__":{"x":1},"b":{"_placeholder":true,"num":0}}]');
  });

  it('follows toJSON like JSON.stringify does', () => {
    const withToJson = { secret: 1, toJSON: () => ({ shown: Buffer.from([7]) }) };
    const [text, buf] = encodePacket({ type: EVENT, nsp: '/', data: ['t', withToJson] });
    expect(text).toBe('51-["t",{"shown":{"_placeholder":true,"num":0}}]');
    expect([...buf]).toEqual([7]);
  });

  it('sends a BINARY_EVENT without binary as EVENT (clients refuse a 0- header)', () => {
    expect(encodePacket({ type: BINARY_EVENT, nsp: '/', data: ['x'] })).toEqual(['2["x"]']);
    expect(encodePacket({ type: BINARY_ACK, nsp: '/', id: 1, data: [] })).toEqual(['31[]']);
  });
});

describe('encodePacket: data that cannot be encoded', () => {
  it('refuses circular data with WG_ERR_INVALID_ARGUMENT', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    a.again = a;
    expect(() => encodePacket({ type: EVENT, nsp: '/', data: ['c', a] })).toThrow(WiregateError);
    expect(() => encodePacket({ type: EVENT, nsp: '/', data: ['c', a, Buffer.alloc(1)] })).toThrow(
      expect.objectContaining({ code: 'WG_ERR_INVALID_ARGUMENT' }),
    );
    expect(() => encodePacket({ type: CONNECT, nsp: '/', data: a })).toThrow(
      expect.objectContaining({ code: 'WG_ERR_INVALID_ARGUMENT' }),
    );
  });

  it('refuses BigInt with WG_ERR_INVALID_ARGUMENT', () => {
    expect(() => encodePacket({ type: EVENT, nsp: '/', data: ['n', 1n] })).toThrow(
      expect.objectContaining({ code: 'WG_ERR_INVALID_ARGUMENT' }),
    );
  });

  it('refuses data nested deeper than 1000 levels', () => {
    let deep: unknown = Buffer.alloc(1);
    for (let i = 0; i < 1200; i++) deep = [deep];
    expect(() => encodePacket({ type: EVENT, nsp: '/', data: ['d', deep] })).toThrow(
      expect.objectContaining({ code: 'WG_ERR_INVALID_ARGUMENT' }),
    );
  });
});

describe('hasBinary', () => {
  it.each<[string, unknown, boolean]>([
    ['primitive', 'x', false],
    ['null', null, false],
    ['plain array', ['a', 1, { b: [true] }], false],
    ['Buffer', Buffer.alloc(0), true],
    ['ArrayBuffer', new ArrayBuffer(2), true],
    ['Float64Array', new Float64Array(1), true],
    ['deep in object', { a: { b: [{ c: new Uint16Array(1) }] } }, true],
    ['Date', new Date(), false],
    ['toJSON returning binary', { toJSON: () => [Buffer.alloc(1)] }, true],
  ])('%s', (_name, value, expected) => {
    expect(hasBinary(value)).toBe(expected);
  });

  it('answers false for circular data without hanging', () => {
    const a: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) a[`k${i}`] = a;
    expect(hasBinary(a)).toBe(false);
  });

  it('still finds binary that precedes a cycle', () => {
    const a: unknown[] = [Buffer.alloc(1)];
    a.push(a);
    expect(hasBinary(a)).toBe(true);
  });
});

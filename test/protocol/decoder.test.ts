// Decoder, text packets: literal wire strings from docs/internals/wire-protocol.md, "Encoding and decoding" and the reference messages of "Protocol violations".
import {
  Decoder,
  decodeText,
  PacketType,
  ProtocolError,
  encodePacket,
  type Packet,
} from '../../src/protocol';

const { CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR } = PacketType;

function decodeError(text: string): ProtocolError {
  try {
    decodeText(text);
  } catch (err) {
    return err as ProtocolError;
  }
  throw new Error(`expected ${text} to be refused`);
}

describe('decodeText: wire-protocol.md encoding examples', () => {
  it.each<[string, Packet]>([
    ['0', { type: CONNECT, nsp: '/' }],
    ['0/admin,{"token":"123"}', { type: CONNECT, nsp: '/admin', data: { token: '123' } }],
    [
      '0/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}',
      { type: CONNECT, nsp: '/admin', data: { sid: 'oSO0OpakMV_3jnilAAAA' } },
    ],
    [
      '4{"message":"Not authorized"}',
      { type: CONNECT_ERROR, nsp: '/', data: { message: 'Not authorized' } },
    ],
    ['2["foo"]', { type: EVENT, nsp: '/', data: ['foo'] }],
    ['2/admin,13["bar"]', { type: EVENT, nsp: '/admin', id: 13, data: ['bar'] }],
    ['312[]', { type: ACK, nsp: '/', id: 12, data: [] }],
    ['1/admin,', { type: DISCONNECT, nsp: '/admin' }],
  ])('%s', (wire, packet) => {
    expect(decodeText(wire)).toEqual(packet);
  });

  it.each<[string, Packet]>([
    ['1', { type: DISCONNECT, nsp: '/' }],
    ['1/custom', { type: DISCONNECT, nsp: '/custom' }],
    ['0/custom', { type: CONNECT, nsp: '/custom' }],
    ['0/admin,', { type: CONNECT, nsp: '/admin' }],
    ['0{}', { type: CONNECT, nsp: '/', data: {} }],
    ['4"oops"', { type: CONNECT_ERROR, nsp: '/', data: 'oops' }],
    ['2[42,"n"]', { type: EVENT, nsp: '/', data: [42, 'n'] }],
    ['20["question",{"q":42}]', { type: EVENT, nsp: '/', id: 0, data: ['question', { q: 42 }] }],
    ['2/a/b,7["x"]', { type: EVENT, nsp: '/a/b', id: 7, data: ['x'] }],
    ['3/admin,1["answer",null]', { type: ACK, nsp: '/admin', id: 1, data: ['answer', null] }],
    [
      '2["x",{"_placeholder":true,"num":0}]',
      { type: EVENT, nsp: '/', data: ['x', { _placeholder: true, num: 0 }] },
    ],
    [
      `2${Number.MAX_SAFE_INTEGER}["x"]`,
      { type: EVENT, nsp: '/', id: Number.MAX_SAFE_INTEGER, data: ['x'] },
    ],
  ])('also accepts %s', (wire, packet) => {
    expect(decodeText(wire)).toEqual(packet);
  });

  it('round-trips what the encoder writes', () => {
    const packets: Packet[] = [
      { type: CONNECT, nsp: '/admin', data: { token: 'a,b' } },
      { type: EVENT, nsp: '/chat', id: 99, data: ['msg', { nested: [1, 'two', null, true] }] },
      { type: ACK, nsp: '/', id: 0, data: [] },
      { type: CONNECT_ERROR, nsp: '/x', data: { message: 'no', data: { code: 42 } } },
      { type: DISCONNECT, nsp: '/' },
    ];
    for (const packet of packets) {
      const [text] = encodePacket(packet);
      expect(decodeText(text)).toEqual(packet);
    }
  });
});

describe('decodeText: refusals with the reference messages', () => {
  it.each<[string, string]>([
    ['7["x"]', 'unknown packet type 7'],
    ['9', 'unknown packet type 9'],
    ['a["x"]', 'unknown packet type NaN'],
    ['', 'unknown packet type NaN'],
    ['5-["x"]', 'Illegal attachments'],
    ['5a-["x"]', 'Illegal attachments'],
    ['51["x"]', 'Illegal attachments'],
    ['61', 'Illegal attachments'],
    ['511-["x"]', 'too many attachments'],
    [`5${'9'.repeat(400)}-["x"]`, 'Illegal attachments'],
    ['42abc["x"]'.slice(1), 'invalid payload'],
    ['42{}'.slice(1), 'invalid payload'],
    ['2[]', 'invalid payload'],
    ['2["connect"]', 'invalid payload'],
    ['2["disconnect",1]', 'invalid payload'],
    ['2["newListener"]', 'invalid payload'],
    ['2[null]', 'invalid payload'],
    ['2[{"a":1}]', 'invalid payload'],
    ['2["x"', 'invalid payload'],
    ['2"x"', 'invalid payload'],
    ['3{}', 'invalid payload'],
    ['3"x"', 'invalid payload'],
    ['0[]', 'invalid payload'],
    ['0"token"', 'invalid payload'],
    ['0null', 'invalid payload'],
    ['1{}', 'invalid payload'],
    ['1/admin,null', 'invalid payload'],
    ['4[]', 'invalid payload'],
    ['4 ', 'invalid payload'],
    ['2/admin["x"]', 'invalid payload'],
  ])('%s -> %s', (wire, message) => {
    const err = decodeError(wire);
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.code).toBe('WG_ERR_PROTOCOL');
    expect(err.message).toBe(message);
  });

  // Deliberate differences from socket.io-parser 4.2.7, see differential.test.ts.
  it.each<[string, string]>([
    ['2', 'EVENT without data (the reference accepts it, data undefined)'],
    ['312', 'ACK without data'],
    ['4', 'CONNECT_ERROR without data'],
    [`2${'9'.repeat(20)}["x"]`, 'ack id beyond 2^53-1 (the reference keeps an imprecise number)'],
    [`2${'9'.repeat(400)}["x"]`, 'ack id that is Infinity as a Number'],
  ])('refuses %s: %s', (wire) => {
    expect(decodeError(wire).message).toBe('invalid payload');
  });

  it('reads only ASCII digits as ack id: 2 ["a"] is EVENT without id (the reference reads id 0)', () => {
    expect(decodeText('2 ["a"]')).toEqual({ type: EVENT, nsp: '/', data: ['a'] });
  });

  it('refuses a 5/6 header announcing attachments', () => {
    expect(decodeError('51-["x",{"_placeholder":true,"num":0}]')).toBeInstanceOf(ProtocolError);
  });

  it('never throws anything but ProtocolError for odd JSON', () => {
    for (const json of [
      'null',
      '[]',
      '{}',
      '0',
      '""',
      'true',
      '{"__proto__":null}',
      '[[[[]]]]',
      '{"length":-1}',
    ]) {
      for (const type of '0123456') {
        try {
          decodeText(type + json);
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
        }
      }
    }
  });
});

describe('prototype pollution', () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).polluted;
  });

  it('keeps "__proto__" an own key and leaves Object.prototype alone', () => {
    const packet = decodeText('0{"__proto__":{"polluted":1}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(packet.data)).toBe(Object.prototype);
    expect(Object.hasOwn(packet.data as object, '__proto__')).toBe(true);
  });

  it('does not pollute through events, constructor.prototype, or nested keys', () => {
    decodeText('2["x",{"__proto__":{"polluted":1}},{"constructor":{"prototype":{"polluted":1}}}]');
    decodeText('3[{"a":{"__proto__":{"polluted":1}}}]');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('Decoder with text only', () => {
  it('returns packets one by one and keeps working after them', () => {
    const decoder = new Decoder();
    expect(decoder.add('40'.slice(1))).toEqual({ type: CONNECT, nsp: '/' });
    expect(decoder.add('2["a"]')).toEqual({ type: EVENT, nsp: '/', data: ['a'] });
    expect(decoder.add('21["b"]')).toEqual({ type: EVENT, nsp: '/', id: 1, data: ['b'] });
  });

  it('throws ProtocolError on bad text and keeps working after', () => {
    const decoder = new Decoder();
    expect(() => decoder.add('42{}'.slice(1))).toThrow(new ProtocolError('invalid payload'));
    expect(decoder.add('2["ok"]')).toEqual({ type: EVENT, nsp: '/', data: ['ok'] });
  });

  it('refuses a chunk that is neither string nor Buffer with ProtocolError', () => {
    const decoder = new Decoder();
    expect(() => decoder.add(42 as unknown as string)).toThrow(ProtocolError);
    expect(() => decoder.add(null as unknown as string)).toThrow(ProtocolError);
  });

  it('validates its options', () => {
    expect(() => new Decoder({ maxAttachments: -1 })).toThrow(
      expect.objectContaining({ code: 'WG_ERR_INVALID_ARGUMENT' }),
    );
  });
});

// Binary attachments through the Decoder (docs/internals/wire-protocol.md, "Binary attachments"): header, then N binary messages.
import { Decoder, encodePacket, PacketType, ProtocolError, type Packet } from '../../src/protocol';

const { EVENT, ACK } = PacketType;

function feed(decoder: Decoder, chunks: Array<string | Buffer>): Array<Packet | null> {
  return chunks.map((chunk) => decoder.add(chunk));
}

function errorOf(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    return err as ProtocolError;
  }
  throw new Error('expected a ProtocolError');
}

describe('Decoder: reconstructing binary packets', () => {
  it('decodes 451-["baz",<placeholder>] + one binary message as EVENT with a Buffer', () => {
    const decoder = new Decoder();
    expect(decoder.add('51-["baz",{"_placeholder":true,"num":0}]')).toBeNull();
    const packet = decoder.add(Buffer.from([1, 2, 3, 4]));
    expect(packet).toEqual({ type: EVENT, nsp: '/', data: ['baz', Buffer.from([1, 2, 3, 4])] });
  });

  it('decodes 461-/admin,15[<placeholder>] as ACK id 15', () => {
    const decoder = new Decoder();
    const [, packet] = feed(decoder, [
      '61-/admin,15[{"_placeholder":true,"num":0}]',
      Buffer.from([0, 1, 2]),
    ]);
    expect(packet).toEqual({ type: ACK, nsp: '/admin', id: 15, data: [Buffer.from([0, 1, 2])] });
  });

  it('places attachments nested in objects and arrays (§3.11 upload example)', () => {
    const decoder = new Decoder();
    const results = feed(decoder, [
      '52-["upload",{"a":{"_placeholder":true,"num":0}},{"_placeholder":true,"num":1}]',
      Buffer.from([0x0a, 0x0b]),
      Buffer.from([0x0c]),
    ]);
    expect(results.slice(0, 2)).toEqual([null, null]);
    expect(results[2]).toEqual({
      type: EVENT,
      nsp: '/',
      data: ['upload', { a: Buffer.from([0x0a, 0x0b]) }, Buffer.from([0x0c])],
    });
  });

  it('hands out the received Buffers themselves, not copies', () => {
    const decoder = new Decoder();
    const chunk = Buffer.from([7]);
    decoder.add('51-[0,[[{"deep":{"_placeholder":true,"num":0}}]]]');
    const packet = decoder.add(chunk) as Packet;
    expect(((packet.data as unknown[])[1] as Array<Array<{ deep: Buffer }>>)[0][0].deep).toBe(
      chunk,
    );
  });

  it('allows one attachment to be referenced twice, in any order', () => {
    const decoder = new Decoder();
    const [, , packet] = feed(decoder, [
      '52-["x",{"_placeholder":true,"num":1},{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
      Buffer.from('a'),
      Buffer.from('b'),
    ]);
    expect((packet as Packet).data).toEqual([
      'x',
      Buffer.from('b'),
      Buffer.from('a'),
      Buffer.from('b'),
    ]);
  });

  it('delivers a header announcing 0 attachments at once', () => {
    const decoder = new Decoder();
    expect(decoder.add('50-["x"]')).toEqual({ type: EVENT, nsp: '/', data: ['x'] });
    expect(decoder.add('60-/a,3[]')).toEqual({ type: ACK, nsp: '/a', id: 3, data: [] });
  });

  it('round-trips encoder output, ArrayBuffer and views included', () => {
    const backing = new Uint8Array([0, 1, 2, 3, 4, 5]);
    const data = [
      'mix',
      { ab: backing.buffer.slice(1, 3), view: new Uint8Array(backing.buffer, 3, 2) },
      [Buffer.from('z')],
    ];
    const [text, ...attachments] = encodePacket({ type: EVENT, nsp: '/io', id: 5, data });
    const decoder = new Decoder();
    expect(decoder.add(text)).toBeNull();
    const packet = feed(decoder, attachments).pop();
    expect(packet).toEqual({
      type: EVENT,
      nsp: '/io',
      id: 5,
      data: ['mix', { ab: Buffer.from([1, 2]), view: Buffer.from([3, 4]) }, [Buffer.from('z')]],
    });
  });

  it('replaces a placeholder under an own "__proto__" key without touching prototypes', () => {
    const decoder = new Decoder();
    decoder.add('51-["p",{"__proto__":{"_placeholder":true,"num":0}}]');
    const packet = decoder.add(Buffer.from([1])) as Packet;
    const obj = (packet.data as unknown[])[1] as object;
    expect(Object.getPrototypeOf(obj)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(obj, '__proto__')?.value).toEqual(Buffer.from([1]));
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('survives JSON nested far deeper than the call stack', () => {
    const depth = 200_000;
    const decoder = new Decoder();
    decoder.add(`51-["d",${'['.repeat(depth)}{"_placeholder":true,"num":0}${']'.repeat(depth)}]`);
    expect(decoder.add(Buffer.from([1]))).not.toBeNull();
  });
});

describe('Decoder: attachment errors', () => {
  it.each<[string, string]>([
    ['num out of range', '{"_placeholder":true,"num":1}'],
    ['negative num', '{"_placeholder":true,"num":-1}'],
    ['fractional num (the reference yields undefined)', '{"_placeholder":true,"num":0.5}'],
    ['string num', '{"_placeholder":true,"num":"0"}'],
    ['missing num', '{"_placeholder":true}'],
  ])('%s -> illegal attachments', (_name, placeholder) => {
    const decoder = new Decoder();
    decoder.add(`51-["x",${placeholder}]`);
    expect(errorOf(() => decoder.add(Buffer.from([1]))).message).toBe('illegal attachments');
  });

  it('refuses a placeholder in a 0-attachment header', () => {
    expect(errorOf(() => new Decoder().add('50-["x",{"_placeholder":true,"num":0}]')).message).toBe(
      'illegal attachments',
    );
  });

  it('refuses plain text while attachments are due, then is reset', () => {
    const decoder = new Decoder();
    decoder.add('51-["x",{"_placeholder":true,"num":0}]');
    expect(errorOf(() => decoder.add('2["y"]')).message).toBe(
      'got plaintext data when reconstructing a packet',
    );
    expect(decoder.add('2["after"]')).toEqual({ type: EVENT, nsp: '/', data: ['after'] });
  });

  it('refuses binary when no attachment is due', () => {
    const decoder = new Decoder();
    expect(errorOf(() => decoder.add(Buffer.from([1]))).message).toBe(
      'got binary data when not reconstructing a packet',
    );
    decoder.add('2["x"]');
    expect(errorOf(() => decoder.add(Buffer.from([1]))).message).toBe(
      'got binary data when not reconstructing a packet',
    );
  });

  it('refuses more attachments than maxAttachments (default 10)', () => {
    expect(new Decoder().add('510-["x"]')).toBeNull();
    expect(errorOf(() => new Decoder().add('511-["x"]')).message).toBe('too many attachments');
    expect(errorOf(() => new Decoder({ maxAttachments: 2 }).add('63-[]')).message).toBe(
      'too many attachments',
    );
    expect(new Decoder({ maxAttachments: 2 }).add('62-[]')).toBeNull();
  });

  it('refuses attachments adding up to more than maxAttachmentBytes, then is reset', () => {
    const decoder = new Decoder({ maxAttachmentBytes: 10 });
    decoder.add('52-["x",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    expect(decoder.add(Buffer.alloc(6))).toBeNull();
    const err = errorOf(() => decoder.add(Buffer.alloc(5)));
    expect(err.message).toBe('attachments too large');
    expect(err.code).toBe('WG_ERR_PROTOCOL');
    expect(errorOf(() => decoder.add(Buffer.alloc(1))).message).toBe(
      'got binary data when not reconstructing a packet',
    );
  });

  it('accepts attachments adding up to exactly maxAttachmentBytes', () => {
    const decoder = new Decoder({ maxAttachmentBytes: 4 });
    decoder.add('52-[0,{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    decoder.add(Buffer.alloc(2));
    expect(decoder.add(Buffer.alloc(2))).not.toBeNull();
  });

  it('counts the byte budget per packet, not per connection', () => {
    const decoder = new Decoder({ maxAttachmentBytes: 3 });
    for (let i = 0; i < 3; i++) {
      decoder.add('51-[0,{"_placeholder":true,"num":0}]');
      expect(decoder.add(Buffer.alloc(3))).not.toBeNull();
    }
  });

  it('reset() drops a partial packet', () => {
    const decoder = new Decoder();
    decoder.add('51-["x",{"_placeholder":true,"num":0}]');
    decoder.reset();
    expect(decoder.add('2["fresh"]')).toEqual({ type: EVENT, nsp: '/', data: ['fresh'] });
  });

  it('is reset after an error in the header', () => {
    const decoder = new Decoder();
    expect(() => decoder.add('5x-[]')).toThrow(new ProtocolError('Illegal attachments'));
    expect(decoder.add('2["x"]')).not.toBeNull();
  });
});

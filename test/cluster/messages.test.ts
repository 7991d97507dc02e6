// The cluster wire format (src/cluster/messages.ts): MessagePack framing and how user data is
// prepared for the trip (as the socket.io wire would see it, binary kept as bytes).
import { encode } from '@msgpack/msgpack';
import {
  decodeMessage,
  EncodedBroadcast,
  encodeMessage,
  fromWireOptions,
  fromWireValue,
  MessageKind,
  toWireOptions,
  toWireValue,
} from '../../src/cluster/messages';
import { encodePacket } from '../../src/protocol';

function roundTrip(value: unknown): unknown {
  const bytes = encodeMessage('uid', MessageKind.SERVER_SIDE_EMIT, { args: [toWireValue(value)] });
  const message = decodeMessage(bytes)!;
  return fromWireValue((message.body as { args: unknown[] }).args[0]);
}

describe('cluster messages', () => {
  it('frames a message as [version, uid, kind, body]', () => {
    const bytes = encodeMessage('abc', MessageKind.HEARTBEAT, null);
    expect(decodeMessage(bytes)).toEqual({ uid: 'abc', kind: MessageKind.HEARTBEAT, body: null });
    expect([...bytes]).toEqual([...encode([1, 'abc', MessageKind.HEARTBEAT, null])]);
  });

  it.each([
    ['another version', encode([2, 'abc', 2, null])],
    ['an unknown kind', encode([1, 'abc', 0, null])],
    ['a non-string uid', encode([1, 7, 2, null])],
    ['a wrong shape', encode({ uid: 'abc' })],
    ['bytes that are not MessagePack', Buffer.from([0xc1])],
  ])('drops %s', (_what, bytes) => {
    expect(decodeMessage(bytes)).toBeNull();
  });

  it('carries binary as bytes, back as Buffers, honouring views', () => {
    const backing = new Uint8Array([9, 1, 2, 3, 9]);
    const value = { buf: Buffer.from([1]), view: new Uint8Array(backing.buffer, 1, 3), ab: new Uint8Array([4, 5]).buffer, f32: new Float32Array([1]) };
    const out = roundTrip(value) as Record<string, Buffer>;
    expect(out.buf).toEqual(Buffer.from([1]));
    expect(out.view).toEqual(Buffer.from([1, 2, 3]));
    expect(out.ab).toEqual(Buffer.from([4, 5]));
    expect(out.f32).toEqual(Buffer.from(new Float32Array([1]).buffer));
    for (const v of Object.values(out)) expect(Buffer.isBuffer(v)).toBe(true);
  });

  it('sees data as JSON would (toJSON, no functions or undefined), Dates kept', () => {
    const when = new Date(0);
    const value = {
      user: { toJSON: () => ({ id: 7 }) },
      fn: () => 1,
      missing: undefined,
      list: [undefined, () => 2, 3],
      when,
      ['__proto__']: { polluted: true }, // a computed key: an own property, which the decoder would refuse
    };
    expect(roundTrip(value)).toEqual({ user: { id: 7 }, list: [null, null, 3], when });
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('ships a selection without the local flag', () => {
    const wire = toWireOptions({ rooms: new Set(['a']), except: new Set(['b']), flags: { local: true, volatile: true, timeout: 5 } });
    expect(wire).toEqual({ rooms: ['a'], except: ['b'], flags: { volatile: true, timeout: 5 } });
    expect(fromWireOptions(wire)).toEqual({ rooms: new Set(['a']), except: new Set(['b']), flags: { volatile: true, timeout: 5 } });
  });

  it('decodes a received broadcast only when its data is read', () => {
    const encoded = encodePacket({ type: 2, nsp: '/chat', data: ['ev', { b: Buffer.from([1]) }] });
    const packet = new EncodedBroadcast('/chat', encoded);
    expect(packet.data).toEqual(['ev', { b: Buffer.from([1]) }]);
    expect(packet.data).toBe(packet.data);
  });
});

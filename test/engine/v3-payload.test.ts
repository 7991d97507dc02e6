// Engine.IO v3 framing (src/engine/v3/payload.ts): round trips and refusals of malformed input.
import {
  decodeBinaryPacketV3,
  decodePayloadV3,
  decodeTextPacketV3,
  encodeBinaryFrameV3,
  encodePayloadV3,
} from '../../src/engine/v3/payload';
import type { EnginePacket } from '../../src/engine/packet';

describe('v3 payloads', () => {
  const packets: EnginePacket[] = [
    { type: 'message', data: 'héllo' },
    { type: 'ping' },
    { type: 'message', data: Buffer.from([0, 255, 7]) },
  ];

  it('text payload: lengths in UTF-16 code units, binary as b4<base64>; decodes back', () => {
    const text = encodePayloadV3(packets, false);
    expect(text).toBe('6:4héllo1:26:b4AP8H');
    expect(decodePayloadV3(Buffer.from(text as string), false)).toEqual(packets);
  });

  it('binary payload for clients that take binary (only when a packet is binary); decodes back', () => {
    expect(encodePayloadV3(packets.slice(0, 2), true)).toBe('6:4héllo1:2');
    const bin = encodePayloadV3(packets, true) as Buffer;
    expect([...bin.subarray(0, 4)]).toEqual([0, 7, 0xff, 0x34]); // 'héllo' is 6 UTF-8 bytes + the type
    expect(decodePayloadV3(bin, true)).toEqual(packets);
  });

  it.each([
    ['', 'empty'],
    ['5:4abc', 'length beyond the end'],
    ['x:4abc', 'length not a number'],
    [':4', 'no length'],
    ['2:9a', 'unknown type'],
    ['3:b9A', 'unknown base64 type'],
    ['4:b4*?', 'invalid base64'],
    ['12345678901234567:4', 'absurd length'],
  ])('refuses the text payload %j (%s)', (payload) => {
    expect(decodePayloadV3(Buffer.from(payload), false)).toBeNull();
  });

  it.each([
    [[2, 1, 0xff, 0x34], 'unknown part kind'],
    [[0, 5, 0xff, 0x34], 'length beyond the end'],
    [[0, 12, 0xff, 0x34], 'a length digit above 9'],
    [[0, 1], 'no length end'],
    [[1, 0, 0xff], 'empty part'],
    [[1, 1, 0xff, 9], 'unknown binary type'],
    [[0, ...Array<number>(20).fill(1), 0xff], 'absurd length'],
  ])('refuses the binary payload %j (%s)', (bytes) => {
    expect(decodePayloadV3(Buffer.from(bytes), true)).toBeNull();
  });

  it('WebSocket frames: binary with a leading type byte; text b4<base64>', () => {
    const frame = encodeBinaryFrameV3('message', Buffer.from([1, 2]));
    expect([...frame]).toEqual([4, 1, 2]);
    expect(decodeBinaryPacketV3(frame)).toEqual({ type: 'message', data: Buffer.from([1, 2]) });
    expect(decodeBinaryPacketV3(Buffer.alloc(0))).toBeNull();
    expect(decodeTextPacketV3('b4AQI=')).toEqual({ type: 'message', data: Buffer.from([1, 2]) });
    expect(decodeTextPacketV3('42["a"]')).toEqual({ type: 'message', data: '2["a"]' });
    expect(decodeTextPacketV3('b')).toBeNull();
  });
});

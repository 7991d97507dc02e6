// The cluster wire format: MessagePack byte-for-byte as notepack.io writes it (what
// @socket.io/redis-adapter and its emitter use), JSON-or-MessagePack by content, and the checked
// reading of selections, packets and socket details.
import * as notepack from 'notepack.io';
import {
  decodeJsonOrMsgpack,
  decodeMsgpack,
  encodeJsonOrMsgpack,
  encodeMsgpack,
} from '../../src/cluster/codec';
import { decodeClusterMessage, encodeClusterMessage, MessageType } from '../../src/redis';
import { readDetails, readOptions, readPacket, toWireOptions } from '../../src/cluster/wire-shapes';

const samples: [string, unknown][] = [
  [
    'small and large integers',
    [
      0,
      1,
      127,
      128,
      255,
      256,
      65535,
      65536,
      2 ** 32 - 1,
      2 ** 32,
      2 ** 40,
      -1,
      -32,
      -33,
      -128,
      -129,
      -32768,
      -32769,
      -(2 ** 31),
      -(2 ** 40),
    ],
  ],
  ['floats', [0.5, -1.25, 1.0000001e-300, Number.MIN_VALUE, 1.5e10, 12345.678]],
  [
    'strings of every length class',
    [
      '',
      'a',
      'é'.repeat(20),
      'x'.repeat(31),
      'x'.repeat(32),
      'x'.repeat(255),
      'x'.repeat(256),
      'x'.repeat(70000),
    ],
  ],
  [
    'nested maps and arrays',
    {
      a: [1, { b: null, c: true, d: false }],
      e: Array.from({ length: 20 }, (_, i) => i),
      f: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
    },
  ],
  [
    'binary of every length class',
    [Buffer.alloc(3, 1), Buffer.alloc(300, 2), Buffer.alloc(70000, 3)],
  ],
  [
    'dates (32, 64 and 96 bit timestamps)',
    [new Date(0), new Date(1700000000000), new Date(1700000000123), new Date(-1000)],
  ],
  [
    'a broadcast as socket.io publishes it',
    [
      'uid123',
      { type: 2, data: ['ev', { n: 1 }, Buffer.from('hi')], nsp: '/' },
      { rooms: ['r'], except: [], flags: {} },
    ],
  ],
];

describe('cluster codec', () => {
  it.each(samples)('writes %s exactly as notepack.io', (_what, value) => {
    expect(encodeMsgpack(value).equals(notepack.encode(value))).toBe(true);
  });

  it.each(samples)('reads what notepack.io writes (%s)', (_what, value) => {
    expect(decodeMsgpack(notepack.encode(value))).toEqual(notepack.decode(notepack.encode(value)));
  });

  it('writes integers beyond 2^53 as float64 (notepack.io writes a lossy uint64): notepack.io reads them right', () => {
    for (const big of [2 ** 53 + 2, -(2 ** 53 + 2), 1e300])
      expect(notepack.decode(encodeMsgpack(big))).toBe(big);
  });

  it('prepares data as notepack.io does: toJSON honoured, functions and undefined dropped, views as bytes', () => {
    const backing = new Uint8Array([9, 1, 2, 3, 9]);
    const value = {
      user: { toJSON: () => ({ id: 7 }) },
      fn: () => 1,
      missing: undefined,
      view: new Uint8Array(backing.buffer, 1, 3),
      ab: new Uint8Array([4, 5]).buffer,
    };
    expect(encodeMsgpack(value).equals(notepack.encode(value))).toBe(true);
    const back = decodeMsgpack(encodeMsgpack(value)) as Record<string, unknown>;
    expect(back).toEqual({
      user: { id: 7 },
      view: Buffer.from([1, 2, 3]),
      ab: Buffer.from([4, 5]),
    });
    expect(Buffer.isBuffer(back.view)).toBe(true);
  });

  it('writes JSON unless the value holds binary, and reads either by the first byte', () => {
    expect(encodeJsonOrMsgpack({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
    const withBinary = encodeJsonOrMsgpack({ a: [Buffer.from([1])] });
    expect(Buffer.isBuffer(withBinary)).toBe(true);
    expect(decodeJsonOrMsgpack(withBinary as Buffer)).toEqual({ a: [Buffer.from([1])] });
    expect(decodeJsonOrMsgpack(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(decodeJsonOrMsgpack(Buffer.from('{broken'))).toBeUndefined();
    expect(decodeJsonOrMsgpack(Buffer.from([0xc1]))).toBeUndefined();
  });

  it('writes cluster messages as the sharded adapter does: JSON, MessagePack for binary user data only', () => {
    const heartbeat = { uid: 'u', nsp: '/', type: MessageType.HEARTBEAT };
    expect(encodeClusterMessage(heartbeat)).toBe(JSON.stringify(heartbeat));
    const join = {
      uid: 'u',
      nsp: '/',
      type: MessageType.SOCKETS_JOIN,
      data: { opts: { rooms: [], except: [] }, rooms: ['a'] },
    };
    expect(encodeClusterMessage(join)).toBe(JSON.stringify(join));
    const emit = {
      uid: 'u',
      nsp: '/',
      type: MessageType.SERVER_SIDE_EMIT,
      data: { packet: ['ev', Buffer.from([1])] },
    };
    expect((encodeClusterMessage(emit) as Buffer).equals(notepack.encode(emit))).toBe(true);
    expect(decodeClusterMessage(encodeClusterMessage(emit) as Buffer)).toEqual(emit);
  });

  it.each([
    ['not an object', '"x"'],
    ['no uid', '{"nsp":"/","type":2}'],
    ['an unknown type', '{"uid":"u","nsp":"/","type":14}'],
    ['a non-object data', '{"uid":"u","nsp":"/","type":3,"data":[1]}'],
    ['bytes that are not MessagePack', Buffer.from([0xc1])],
  ])('drops a cluster message with %s', (_what, bytes) => {
    expect(decodeClusterMessage(Buffer.from(bytes))).toBeNull();
  });

  it('ships a selection without the local flag, and reads it back', () => {
    const wire = toWireOptions({
      rooms: new Set(['a']),
      except: new Set(['b']),
      flags: { local: true, volatile: true, timeout: 5 },
    });
    expect(wire).toEqual({ rooms: ['a'], except: ['b'], flags: { volatile: true, timeout: 5 } });
    expect(readOptions(wire)).toEqual({
      rooms: new Set(['a']),
      except: new Set(['b']),
      flags: { volatile: true, timeout: 5 },
    });
    expect(readOptions({ rooms: [7] })).toEqual({
      rooms: new Set(['7']),
      except: new Set(),
      flags: {},
    });
    expect(readOptions({ rooms: 'a' })).toBeNull();
    expect(readOptions({ rooms: [], except: [{}] })).toBeNull();
  });

  it('reads only event packets, for its own namespace and ack id', () => {
    expect(readPacket({ type: 2, data: ['ev', 1], nsp: '/x', id: 9 }, '/', 4)).toEqual({
      type: 2,
      nsp: '/',
      data: ['ev', 1],
      id: 4,
    });
    expect(readPacket({ type: 5, data: ['ev', Buffer.from([1])] }, '/')).toEqual({
      type: 2,
      nsp: '/',
      data: ['ev', Buffer.from([1])],
    });
    for (const bad of [
      null,
      { type: 0, data: ['ev'] },
      { type: 2, data: 'ev' },
      { type: 2, data: [1] },
    ])
      expect(readPacket(bad, '/')).toBeNull();
  });

  it('reads socket details, refusing a missing id or bad rooms', () => {
    expect(readDetails({ id: 'a', rooms: ['a'], data: { x: 1 } })).toEqual({
      id: 'a',
      handshake: {},
      rooms: ['a'],
      data: { x: 1 },
    });
    expect(readDetails({ rooms: [] })).toBeNull();
    expect(readDetails({ id: 'a', rooms: 'a' })).toBeNull();
  });
});

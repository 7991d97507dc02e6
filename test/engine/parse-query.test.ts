// parseQuery reads EIO/transport/sid in place when nothing in the URL is escaped; it must
// give what URLSearchParams gives (the last value wins, `+` and `%xx` decoded) for any URL.
import { parseQuery } from '../../src/engine/handshake';

function reference(url: string): Record<string, string | undefined> {
  const q = url.indexOf('?');
  if (q === -1) return { EIO: undefined, transport: undefined, sid: undefined };
  const params = new URLSearchParams(url.slice(q + 1));
  const last = (name: string): string | undefined => params.getAll(name).at(-1);
  return { EIO: last('EIO'), transport: last('transport'), sid: last('sid') };
}

describe('parseQuery', () => {
  it.each([
    '/socket.io/?EIO=4&transport=websocket',
    '/socket.io/?EIO=4&transport=polling&t=NxYz1&sid=abc_DEF-123',
    '/socket.io/',
    '/socket.io/?',
    '/socket.io/?&&',
    '/socket.io/?EIO',
    '/socket.io/?EIO=&EIO=3&EIO=4',
    '/socket.io/?sid=a=b',
    '/socket.io/??sid=x',
    '/socket.io/?a=1?EIO=4',
    '/socket.io/?transport=web+socket',
    '/socket.io/?transport=%77ebsocket&sid=%zz',
    '/socket.io/?EIOx=4&xEIO=4&Transport=websocket&sid_=1',
  ])('%s', (url) => {
    expect(parseQuery(url)).toEqual(reference(url));
  });

  it('agrees with URLSearchParams on generated URLs', () => {
    const pieces = ['E', 'I', 'O', 'EIO', 'sid', 'transport', '=', '&', '?', '4', 'x', '%', '%41', '+', '#', 'é'];
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 20000; i++) {
      let url = '/socket.io/';
      for (let n = random(12); n > 0; n--) url += pieces[random(pieces.length)];
      expect(parseQuery(url)).toEqual(reference(url));
    }
  });
});

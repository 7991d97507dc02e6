// Floods: a burst of connections and a burst of messages from raw clients. A well-behaved
// official client is still answered (an ack round-trip) while the flood is on, nothing the
// flooders sent is lost, and nothing is left once they leave. No assertion on speed: only
// deadlines that say "it did not hang".
import type { Socket } from '../../src/server';
import {
  assertAnswered,
  closeEverything,
  dropRawClients,
  expectNothingLeaked,
  httpExchange,
  inBatches,
  installEcho,
  live,
  pollingOpen,
  rawWs,
  within,
  type RawWs,
} from './support';

afterEach(closeEverything);

const CONNECTIONS = Number(process.env.FLOOD_CONNECTIONS ?? 500);
const MESSAGES = Number(process.env.FLOOD_MESSAGES ?? 20000);

it(`stays responsive through a burst of ${CONNECTIONS} connections`, async () => {
  const l = await live();
  installEcho(l.io);
  let connected = 0;
  let allIn!: () => void;
  const everyoneIn = new Promise<void>((resolve) => (allIn = resolve));
  l.io.on('connection', () => {
    if (++connected === CONNECTIONS + 1) allIn();
  });
  const raws: RawWs[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const raw = rawWs(l);
    void raw.opened.then(
      () => raw.ws.send('40'),
      () => undefined,
    );
    raws.push(raw);
  }
  // Answered while the burst is still being accepted.
  await assertAnswered(l);
  await within(30000, `${CONNECTIONS} connections`, everyoneIn);
  expect(l.io.of('/').sockets.size).toBe(CONNECTIONS);
  await dropRawClients(l.io);
  expectNothingLeaked(l.io);
});

it(`loses nothing and stays responsive through ${MESSAGES} messages from raw clients`, async () => {
  const l = await live();
  installEcho(l.io);
  const senders = 20;
  const perSender = Math.ceil(MESSAGES / senders);
  const total = senders * perSender;
  let received = 0;
  const perSocket = new Map<string, number[]>();
  let allReceived!: () => void;
  const done = new Promise<void>((resolve) => (allReceived = resolve));
  l.io.on('connection', (s: Socket) => {
    const seen: number[] = [];
    perSocket.set(s.id, seen);
    s.on('flood', (n: number) => {
      seen.push(n);
      if (++received === total) allReceived();
    });
  });
  const raws = Array.from({ length: senders }, () => rawWs(l));
  await inBatches(raws, senders, async (raw) => {
    await raw.opened;
    raw.ws.send('40');
    await raw.waitFor((f) => typeof f === 'string' && f.startsWith('40{'));
  });
  for (const raw of raws) for (let i = 0; i < perSender; i++) raw.ws.send(`42["flood",${i}]`);
  await assertAnswered(l);
  await within(60000, `${total} messages`, done);
  // In order, none lost, none doubled, per connection.
  const flooders = [...perSocket.values()].filter((seen) => seen.length > 0);
  expect(flooders).toHaveLength(senders);
  for (const seen of flooders) expect(seen).toEqual(Array.from({ length: perSender }, (_, i) => i));
  await dropRawClients(l.io);
  expectNothingLeaked(l.io);
});

it('loses nothing from a polling client that packs many packets per POST', async () => {
  const l = await live();
  installEcho(l.io);
  const perPost = 500;
  const posts = 10;
  const seen: number[] = [];
  let allReceived!: () => void;
  const done = new Promise<void>((resolve) => (allReceived = resolve));
  l.io.on('connection', (s: Socket) =>
    s.on('flood', (n: number) => {
      seen.push(n);
      if (seen.length === perPost * posts) allReceived();
    }),
  );
  const sid = await pollingOpen(l);
  const path = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
  expect((await httpExchange(l, { method: 'POST', path, body: '40' })).status).toBe(200);
  for (let p = 0; p < posts; p++) {
    const body = Array.from({ length: perPost }, (_, i) => `42["flood",${p * perPost + i}]`).join(
      '\x1e',
    );
    expect((await httpExchange(l, { method: 'POST', path, body })).status).toBe(200);
  }
  await assertAnswered(l, { transports: ['polling'] });
  await within(10000, 'every packet', done);
  expect(seen).toEqual(Array.from({ length: perPost * posts }, (_, i) => i));
  expect((await httpExchange(l, { method: 'POST', path, body: '1' })).status).toBe(200);
});

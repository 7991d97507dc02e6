/**
 * `npm run sample:cluster:try`: alice connects to server a, bob to server b; both join
 * `lobby`; alice's message reaches bob through Redis.
 * @module
 */
import { io, type Socket } from 'socket.io-client';

const A = process.env.URL_A ?? 'http://localhost:3001';
const B = process.env.URL_B ?? 'http://localhost:3002';

function connect(url: string, name: string): Promise<Socket> {
  const socket = io(`${url}/chat`, {
    auth: { name },
    transports: ['websocket'],
    reconnection: false,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) =>
      reject(new Error(`${name} could not connect to ${url}: ${err.message}`)),
    );
  });
}

async function main(): Promise<void> {
  const [alice, bob] = await Promise.all([connect(A, 'alice'), connect(B, 'bob')]);
  try {
    await bob.emitWithAck('chat:join', { room: 'lobby' });
    const joined = await alice.emitWithAck('chat:join', { room: 'lobby' });
    console.log(`alice (on ${A}) joined lobby with:`, joined.members.join(', '));
    const received = new Promise((resolve, reject) => {
      bob.once('chat:message', resolve);
      setTimeout(
        () =>
          reject(new Error('bob received nothing within 3 s: are both servers on the same Redis?')),
        3000,
      ).unref();
    });
    await alice.emitWithAck('chat:message', { room: 'lobby', text: 'hello from server a' });
    console.log(`bob (on ${B}) received:`, await received);
  } finally {
    alice.disconnect();
    bob.disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

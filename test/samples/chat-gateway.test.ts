// samples/chat-gateway: the chat protocol served by a gateway app, driven by socket.io-client.
import type { Socket } from 'socket.io-client';
import { ChatService, HISTORY_SIZE } from '../../samples/chat-gateway/chat.service';
import { MAX_IMAGE_BYTES } from '../../samples/chat-gateway/chat.dto';
import type { ChatImage, ChatMessage, JoinReply } from '../../samples/chat-gateway/events';
import { startChatGateway, type RunningChat } from '../../samples/chat-gateway/server';
import { Clients } from './clients';

/** Resolves with the first argument of the next `event`. */
function next<T>(socket: Socket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, resolve));
}

describe('samples/chat-gateway', () => {
  let chat: RunningChat;
  const clients = new Clients();

  beforeEach(async () => {
    chat = await startChatGateway({ port: 0, host: '127.0.0.1' });
  });

  afterEach(async () => {
    clients.closeAll();
    await chat.close();
  });

  const connect = (name: string): Promise<Socket> =>
    clients.connect(`http://127.0.0.1:${chat.port}/`, { auth: { name } });

  async function inRoom(room: string, ...names: string[]): Promise<Socket[]> {
    const sockets: Socket[] = [];
    for (const name of names) {
      const socket = await connect(name);
      await socket.emitWithAck('join', { room });
      sockets.push(socket);
    }
    return sockets;
  }

  it('refuses a connection without a usable name', async () => {
    const url = `http://127.0.0.1:${chat.port}/`;
    for (const auth of [{}, { name: '   ' }, { name: 'x'.repeat(25) }, { name: 42 }]) {
      const err = await clients.refused(url, { auth });
      expect(err.data).toMatchObject({ code: 'NAME_REQUIRED' });
    }
  });

  it('acks a join with the history and the members, and tells the others', async () => {
    const [ann] = await inRoom('lobby', 'ann');
    const joined = next<{ room: string; name: string }>(ann, 'user:joined');
    const bob = await connect('bob');
    const reply: JoinReply = await bob.emitWithAck('join', { room: 'lobby' });
    expect(reply).toEqual({ room: 'lobby', history: [], members: ['ann', 'bob'] });
    expect(await joined).toEqual({ room: 'lobby', name: 'bob' });
  });

  it('sends a message to the other members only, acks the sender, and keeps it in the history', async () => {
    const [ann, bob] = await inRoom('lobby', 'ann', 'bob');
    const [eve] = await inRoom('games', 'eve');
    let annGot = 0;
    ann.on('message', () => annGot++);
    const firstToEve = next<ChatMessage>(eve, 'message');
    const toBob = next<ChatMessage>(bob, 'message');
    const sent: ChatMessage = await ann.emitWithAck('message', { room: 'lobby', text: 'hello' });
    expect(sent).toEqual({
      id: expect.any(Number),
      room: 'lobby',
      from: 'ann',
      text: 'hello',
      at: expect.any(Number),
    });
    expect(await toBob).toEqual(sent);
    expect(annGot).toBe(0); // it would have arrived before the ack
    // eve (not in lobby) hears her own room's next message first.
    const [gus] = await inRoom('games', 'gus');
    await gus.emitWithAck('message', { room: 'games', text: 'gg' });
    expect(await firstToEve).toMatchObject({ room: 'games', text: 'gg' });
    const later: JoinReply = await (await connect('cat')).emitWithAck('join', { room: 'lobby' });
    expect(later.history).toEqual([sent]);
  });

  it('keeps the last HISTORY_SIZE messages of a room while it has members', async () => {
    const [ann] = await inRoom('busy', 'ann');
    const service = chat.app.get(ChatService);
    for (let i = 1; i <= HISTORY_SIZE + 5; i++) service.post('busy', 'bot', `#${i}`);
    const bob = await connect('bob');
    const reply: JoinReply = await bob.emitWithAck('join', { room: 'busy' });
    expect(reply.history).toHaveLength(HISTORY_SIZE);
    expect(reply.history[0].text).toBe('#6');
    await Promise.all([ann, bob].map((s) => s.emitWithAck('leave', { room: 'busy' })));
    const again: JoinReply = await ann.emitWithAck('join', { room: 'busy' });
    expect(again.history).toEqual([]); // the last one out took the history along
  });

  it('trims messages and lists a name once however many tabs use it', async () => {
    const [ann, ann2] = await inRoom('lobby', 'ann', 'ann');
    const received = next<ChatMessage>(ann2, 'message');
    expect(await ann.emitWithAck('message', { room: 'lobby', text: '  hi  ' })).toMatchObject({
      text: 'hi',
    });
    expect(await received).toMatchObject({ from: 'ann', text: 'hi' });
    expect(((await ann.emitWithAck('join', { room: 'lobby' })) as JoinReply).members).toEqual([
      'ann',
    ]);
    expect(await ann.emitWithAck('message', { room: 'lobby', text: '   ' })).toMatchObject({
      error: { code: 'WG_ERR_VALIDATION' },
    });
  });

  it('relays an image as binary and acks with its size', async () => {
    const [ann, bob] = await inRoom('lobby', 'ann', 'bob');
    const received = next<ChatImage>(bob, 'image');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    const receipt = await ann.emitWithAck('image', { room: 'lobby', type: 'image/png', data: png });
    expect(receipt).toEqual({ id: expect.any(Number), room: 'lobby', bytes: 6 });
    const image = await received;
    expect(image).toMatchObject({ id: receipt.id, room: 'lobby', from: 'ann', type: 'image/png' });
    expect(Buffer.from(image.data).equals(png)).toBe(true);

    const odd = next<ChatImage>(bob, 'image');
    await ann.emitWithAck('image', { room: 'lobby', type: 'text/html', data: png });
    expect((await odd).type).toBe('application/octet-stream');
    const tooBig = await ann.emitWithAck('image', {
      room: 'lobby',
      data: Buffer.alloc(MAX_IMAGE_BYTES + 1),
    });
    expect(tooBig.error).toMatchObject({
      code: 'WG_ERR_VALIDATION',
      details: [expect.objectContaining({ property: 'data' })],
    });
    expect(await ann.emitWithAck('image', { room: 'lobby', data: 'not binary' })).toMatchObject({
      error: { code: 'WG_ERR_VALIDATION' },
    });
  });

  it('serves the chat page and the client bundle it loads', async () => {
    const page = await fetch(`http://127.0.0.1:${chat.port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="/socket.io/socket.io.min.js"');
    const bundle = await fetch(`http://127.0.0.1:${chat.port}/socket.io/socket.io.min.js`);
    expect(bundle.status).toBe(200);
    await bundle.arrayBuffer();
    const fallback = await fetch(`http://127.0.0.1:${chat.port}/socket.io.min.js`);
    expect(fallback.status).toBe(200);
    await fallback.arrayBuffer();
  });

  it('relays typing to the other members as a volatile event', async () => {
    const [ann, bob] = await inRoom('lobby', 'ann', 'bob');
    const typing = next(bob, 'typing');
    ann.emit('typing', { room: 'lobby', typing: true }); // no ack needed
    expect(await typing).toEqual({ room: 'lobby', name: 'ann', typing: true });
  });

  it('refuses messages to a room not joined, and invalid payloads, in the ack', async () => {
    const ann = await connect('ann');
    expect(await ann.emitWithAck('message', { room: 'lobby', text: 'hi' })).toEqual({
      error: { code: 'NOT_A_MEMBER', message: 'Join lobby first' },
    });
    const invalid = await ann.emitWithAck('message', { room: 'Lobby!', text: '', extra: 1 });
    expect(invalid.error.code).toBe('WG_ERR_VALIDATION');
    expect(invalid.error.details.map((d: { property: string }) => d.property).sort()).toEqual([
      'extra',
      'room',
      'text',
    ]);
    expect(await ann.emitWithAck('typing', { room: 'lobby', typing: 'yes' })).toMatchObject({
      error: { code: 'WG_ERR_VALIDATION' },
    });
  });

  it('tells the room when a member leaves or disconnects', async () => {
    const [ann, bob, cat] = await inRoom('lobby', 'ann', 'bob', 'cat');
    const left = next(ann, 'user:left');
    expect(await bob.emitWithAck('leave', { room: 'lobby' })).toEqual({ room: 'lobby' });
    expect(await left).toEqual({ room: 'lobby', name: 'bob' });
    expect(await bob.emitWithAck('message', { room: 'lobby', text: 'still here?' })).toMatchObject({
      error: { code: 'NOT_A_MEMBER' },
    });

    const gone = next(ann, 'user:left');
    cat.disconnect();
    expect(await gone).toEqual({ room: 'lobby', name: 'cat' });
    const reply: JoinReply = await ann.emitWithAck('join', { room: 'lobby' });
    expect(reply.members).toEqual(['ann']);
  });
});

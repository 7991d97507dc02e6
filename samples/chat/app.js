// The chat sample on the socket layer: rooms with a short history, acks, a typing
// indicator sent as a volatile broadcast, and images sent as binary. Plain JavaScript on
// the package's public API (`require('wiregate')`), so that `npm start` runs it as is.
// samples/chat-gateway speaks the same protocol as a gateway app and serves the same page.
'use strict';
const { readFileSync } = require('node:fs');
const { createServer } = require('node:http');
const { join } = require('node:path');
const { Server } = require('wiregate');

const PAGE = join(__dirname, 'public', 'index.html');
const HISTORY = 50;
const MAX_IMAGE_BYTES = 512 * 1024;
const ROOM = /^[a-z0-9-]{1,32}$/;

/** Creates the HTTP server (the page) and the realtime server on it; the caller listens. */
function createChatServer(options = {}) {
  const page = readFileSync(PAGE);
  const httpServer = createServer((req, res) => {
    const path = (req.url || '/').split('?')[0];
    if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(page);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('Not found');
  });
  // serveClient: the page loads the official browser client from /socket.io/socket.io.min.js.
  const io = new Server(httpServer, { serveClient: true, ...options });
  const chat = new ChatRooms();

  io.use((socket, next) => {
    const name = typeof socket.handshake.auth.name === 'string' ? socket.handshake.auth.name.trim() : '';
    if (name.length === 0 || name.length > 24) {
      const err = new Error('Pick a name of 1 to 24 characters');
      err.data = { code: 'NAME_REQUIRED' };
      return next(err);
    }
    socket.data.name = name;
    next();
  });

  io.on('connection', (socket) => {
    const name = socket.data.name;

    socket.on('join', (body, ack) => {
      const room = roomOf(body);
      if (room === null) return reply(ack, invalid('room must be 1 to 32 lower-case letters, digits or dashes'));
      socket.join(room);
      if (chat.join(room, socket.id, name)) socket.to(room).emit('user:joined', { room, name });
      reply(ack, { room, history: chat.history(room), members: chat.members(room) });
    });

    socket.on('leave', (body, ack) => {
      const room = roomOf(body);
      if (room === null) return reply(ack, invalid('room is required'));
      socket.leave(room);
      if (chat.leave(room, socket.id) !== undefined) io.to(room).emit('user:left', { room, name });
      reply(ack, { room });
    });

    socket.on('message', (body, ack) => {
      const room = roomOf(body);
      const text = body && typeof body.text === 'string' ? body.text.trim() : '';
      if (room === null || text.length === 0 || text.length > 1000) return reply(ack, invalid('text must be 1 to 1000 characters'));
      if (!chat.isMember(room, socket.id)) return reply(ack, notMember(room));
      const message = chat.post(room, name, text);
      socket.to(room).emit('message', message);
      reply(ack, message);
    });

    // Volatile: a client that cannot take it right now misses it rather than seeing a stale indicator later.
    socket.on('typing', (body) => {
      const room = roomOf(body);
      if (room === null || !chat.isMember(room, socket.id)) return;
      socket.to(room).volatile.emit('typing', { room, name, typing: body.typing === true });
    });

    // Binary travels as an attachment: a WebSocket binary frame, or base64 over polling.
    socket.on('image', (body, ack) => {
      const room = roomOf(body);
      const data = body && body.data;
      if (room === null || !Buffer.isBuffer(data) || data.length === 0 || data.length > MAX_IMAGE_BYTES) {
        return reply(ack, invalid(`data must be 1 byte to ${MAX_IMAGE_BYTES / 1024} KiB`));
      }
      if (!chat.isMember(room, socket.id)) return reply(ack, notMember(room));
      const type = typeof body.type === 'string' && /^image\/[a-z0-9.+-]+$/.test(body.type) ? body.type : 'application/octet-stream';
      const image = { id: chat.nextId(), room, from: name, type, data, at: Date.now() };
      socket.to(room).emit('image', image);
      reply(ack, { id: image.id, room, bytes: data.length });
    });

    socket.on('disconnect', () => {
      for (const room of chat.leaveAll(socket.id)) io.to(room).emit('user:left', { room, name });
    });
  });

  return { httpServer, io };
}

/** Rooms, their members and their last messages. */
class ChatRooms {
  constructor() {
    this.rooms = new Map();
    this.lastId = 0;
  }

  /** Returns true when the socket was not a member yet. */
  join(room, socketId, name) {
    let entry = this.rooms.get(room);
    if (!entry) {
      entry = { members: new Map(), history: [] };
      this.rooms.set(room, entry);
    }
    if (entry.members.has(socketId)) return false;
    entry.members.set(socketId, name);
    return true;
  }

  /** Returns the member's name, or undefined when it was not a member. */
  leave(room, socketId) {
    const entry = this.rooms.get(room);
    if (!entry || !entry.members.has(socketId)) return undefined;
    const name = entry.members.get(socketId);
    entry.members.delete(socketId);
    if (entry.members.size === 0) this.rooms.delete(room);
    return name;
  }

  leaveAll(socketId) {
    const left = [];
    for (const [room, entry] of this.rooms) if (entry.members.has(socketId)) left.push(room);
    for (const room of left) this.leave(room, socketId);
    return left;
  }

  isMember(room, socketId) {
    const entry = this.rooms.get(room);
    return entry !== undefined && entry.members.has(socketId);
  }

  members(room) {
    const entry = this.rooms.get(room);
    return entry ? [...new Set(entry.members.values())] : [];
  }

  history(room) {
    const entry = this.rooms.get(room);
    return entry ? entry.history.slice() : [];
  }

  nextId() {
    return ++this.lastId;
  }

  post(room, from, text) {
    const message = { id: this.nextId(), room, from, text, at: Date.now() };
    const entry = this.rooms.get(room);
    entry.history.push(message);
    if (entry.history.length > HISTORY) entry.history.shift();
    return message;
  }
}

function roomOf(body) {
  return body && typeof body.room === 'string' && ROOM.test(body.room) ? body.room : null;
}

function reply(ack, value) {
  if (typeof ack === 'function') ack(value);
}

function invalid(message) {
  return { error: { code: 'WG_ERR_VALIDATION', message } };
}

function notMember(room) {
  return { error: { code: 'NOT_A_MEMBER', message: `Join ${room} first` } };
}

module.exports = { createChatServer };

/**
 * The chat's state: every room's recent history and who is in it.
 * @module
 */
import { injectable } from 'tsyringe';
import type { ChatMessage } from './events';

/** Messages kept per room. */
export const HISTORY_SIZE = 50;

interface Room {
  history: ChatMessage[];
  /** socket id -> display name */
  members: Map<string, string>;
}

/**
 * One per app (wiregate registers it as a singleton of the app's container). A room
 * exists while it has members: the last one out takes its history along, so memory is
 * bounded by the rooms in use.
 */
@injectable()
export class ChatService {
  private readonly rooms = new Map<string, Room>();
  private nextId = 1;

  /** Adds a member; returns false if that socket was already in the room. */
  join(room: string, socketId: string, name: string): boolean {
    const members = this.room(room).members;
    if (members.has(socketId)) return false;
    members.set(socketId, name);
    return true;
  }

  /** Removes a member; returns its name, or undefined if it was not in the room. */
  leave(room: string, socketId: string): string | undefined {
    const state = this.rooms.get(room);
    const name = state?.members.get(socketId);
    if (state === undefined || name === undefined) return undefined;
    state.members.delete(socketId);
    if (state.members.size === 0) this.rooms.delete(room);
    return name;
  }

  /** Removes a socket from every room; returns the rooms it was in, with its name. */
  leaveAll(socketId: string): { room: string; name: string }[] {
    const left: { room: string; name: string }[] = [];
    for (const [room, state] of [...this.rooms]) {
      if (state.members.has(socketId))
        left.push({ room, name: this.leave(room, socketId) as string });
    }
    return left;
  }

  isMember(room: string, socketId: string): boolean {
    return this.rooms.get(room)?.members.has(socketId) ?? false;
  }

  /** Display names in the room, sorted, each once (two tabs may use one name). */
  members(room: string): string[] {
    return [...new Set(this.rooms.get(room)?.members.values())].sort();
  }

  /** Oldest first, at most `HISTORY_SIZE`. */
  history(room: string): ChatMessage[] {
    return [...(this.rooms.get(room)?.history ?? [])];
  }

  /** A fresh id for a message or an image. */
  newId(): number {
    return this.nextId++;
  }

  /** Stores a message in a room that has members, and returns it with its id and time. */
  post(room: string, from: string, text: string): ChatMessage {
    const message: ChatMessage = { id: this.newId(), room, from, text, at: Date.now() };
    const history = this.room(room).history;
    history.push(message);
    if (history.length > HISTORY_SIZE) history.shift();
    return message;
  }

  private room(name: string): Room {
    let room = this.rooms.get(name);
    if (room === undefined) {
      room = { history: [], members: new Map() };
      this.rooms.set(name, room);
    }
    return room;
  }
}

/**
 * The chat protocol: what clients send, what the server emits. One place to read it (and
 * to change it) — the gateway and the tests use these names and shapes.
 * @module
 */

/** A stored chat message, as members of the room receive it. */
export interface ChatMessage {
  id: number;
  room: string;
  from: string;
  text: string;
  /** Milliseconds since the epoch. */
  at: number;
}

/** An image posted to a room; `data` is binary (a Buffer on Node, an ArrayBuffer in a browser). */
export interface ChatImage {
  id: number;
  room: string;
  from: string;
  /** `image/…`, or `application/octet-stream` when the sender gave no usable type. */
  type: string;
  data: Buffer;
  at: number;
}

/** The ack of `image`. */
export interface ImageReceipt {
  id: number;
  room: string;
  bytes: number;
}

/** The ack of `join`: the room's history (oldest first) and who is in it. */
export interface JoinReply {
  room: string;
  history: ChatMessage[];
  members: string[];
}

/** Events the server emits. */
export type ServerEvents = {
  /** A member posted (sent to the room's other members; the sender gets the ack). */
  message: (message: ChatMessage) => void;
  /** A member posted an image (sent to the room's other members). */
  image: (image: ChatImage) => void;
  /** Someone joined a room you are in. */
  'user:joined': (event: { room: string; name: string }) => void;
  /** Someone left a room you are in (or disconnected). */
  'user:left': (event: { room: string; name: string }) => void;
  /** Someone starts or stops typing; volatile: dropped rather than queued for a slow client. */
  typing: (event: { room: string; name: string; typing: boolean }) => void;
};

/** The namespace the chat lives in. */
export const CHAT_NAMESPACE = '/';

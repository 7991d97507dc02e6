/**
 * The `@JoinRoom` / `@LeaveRoom` step: runs after guards and validation, before the handler.
 * @module
 */
import type { RoomSpec } from '../decorators/join-room';
import type { WsContext } from './context';
import { isThenable } from './thenable';

/** One compiled room operation. */
interface RoomOp {
  leave: boolean;
  spec: RoomSpec;
}

/**
 * Builds the room step. `bodyIndex` is the handler's `@MessageBody()` parameter (whole
 * payload), whose validated value the room functions receive; -1 means the raw payload.
 * Leaves run before joins, so one handler can move a socket from one room to another.
 */
export function compileRooms(
  joins: readonly RoomSpec[],
  leaves: readonly RoomSpec[],
  bodyIndex: number,
): (ctx: WsContext) => unknown {
  const ops: RoomOp[] = [
    ...leaves.map((spec) => ({ leave: true, spec })),
    ...joins.map((spec) => ({ leave: false, spec })),
  ];
  return (ctx) => {
    const body = bodyIndex >= 0 ? (ctx.values as unknown[])[bodyIndex] : ctx.data;
    return applyRooms(ctx, ops, body, 0);
  };
}

function applyRooms(ctx: WsContext, ops: readonly RoomOp[], body: unknown, from: number): unknown {
  for (let i = from; i < ops.length; i++) {
    const { leave, spec } = ops[i];
    const rooms = typeof spec === 'string' ? spec : spec(body, ctx.socket);
    const done = leave ? leaveAll(ctx, rooms) : ctx.socket.join(rooms as string | string[]);
    if (isThenable(done))
      return Promise.resolve(done).then(() => applyRooms(ctx, ops, body, i + 1));
  }
  return undefined;
}

function leaveAll(ctx: WsContext, rooms: string | readonly string[]): unknown {
  if (typeof rooms === 'string') return ctx.socket.leave(rooms);
  let pending: unknown[] | null = null;
  for (const room of rooms) {
    const done = ctx.socket.leave(room);
    if (isThenable(done)) (pending ??= []).push(done);
  }
  return pending === null ? undefined : Promise.all(pending);
}

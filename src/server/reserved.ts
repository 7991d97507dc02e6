/**
 * Reserved event names that user code may not emit (docs/internals/wire-protocol.md, "Reserved event names").
 * @module
 */
import { RESERVED_EVENTS } from '../protocol';
import { WiregateError } from '../shared/errors';

/** @throws WiregateError `WG_ERR_RESERVED_EVENT` when `ev` is reserved. */
export function assertNotReserved(ev: unknown): void {
  if (typeof ev === 'string' && RESERVED_EVENTS.has(ev)) {
    throw new WiregateError('WG_ERR_RESERVED_EVENT', `"${ev}" is a reserved event name`);
  }
}

/**
 * The Socket.IO v5 codec: the only path other layers import from `protocol/`.
 * @module
 */
export { PacketType, RESERVED_EVENTS } from './packet';
export type { Packet } from './packet';
export { encodePacket, hasBinary } from './encoder';
export {
  Decoder,
  decodeText,
  ProtocolError,
  DEFAULT_MAX_ATTACHMENTS,
  DEFAULT_MAX_ATTACHMENT_BYTES,
} from './decoder';
export type { DecoderOptions } from './decoder';
export { isBinary } from './binary';
export type { BinaryValue } from './binary';
export { isPayloadValid } from './validate';
export { encodeWith, toDecodedPacket, toEngineMessages } from './custom-parser';
export type { ParserModule, ParserEncoder, ParserDecoder } from './custom-parser';

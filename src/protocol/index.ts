export { ChatError } from './chat-error.js';
export { Arguments, COMMANDS, parseArguments, SHA256_HEX, usage } from './commands.js';
export type { CommandSpec, OptionValue, ParamKind, ParamSpec } from './commands.js';
export type {
  DataFrame,
  Decoded,
  EventFrame,
  Frame,
  FrameProblem,
  ReplyFrame,
  RequestFrame,
} from './frame.js';
export { FrameDecoder } from './frame-decoder.js';
export type { FrameDecoderOptions } from './frame-decoder.js';
export {
  encodeData,
  encodeDataHeader,
  encodeEvent,
  encodeReply,
  encodeRequest,
  writeDataFrame,
} from './frame-encoder.js';
export type { FrameSink } from './frame-encoder.js';
export { DEFAULT_PORT, LIMITS, PROTOCOL_NAME } from './limits.js';
export { STATUS, isStatusCode, reasonPhrase } from './status.js';
export type { StatusCode } from './status.js';
export { DatagramDecoder, FrameCutter, UDP_LIMITS } from './datagram.js';
export { DatagramStream } from './datagram-stream.js';

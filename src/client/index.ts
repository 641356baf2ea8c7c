export { ChatClient } from './chat-client.js';
export { replyError } from './reply-error.js';
export type { ByeReason, ChatClientEvents, ConnectOptions, ServerIdentity } from './client-types.js';
export { ClientError } from './client-error.js';
export type { ClientErrorCode } from './client-error.js';
export type { FileInfo } from './download-sink.js';
export type { EventPredicate, WaitOptions } from './event-queue.js';

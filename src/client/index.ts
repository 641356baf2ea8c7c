export { ChatClient } from './chat-client.js';
export type { RequestOptions } from './chat-client.js';
export type {
  ByeReason,
  ChatClientEvents,
  ChatSession,
  ConnectOptions,
  ServerIdentity,
  Transport,
} from './client-types.js';
export { ClientError } from './client-error.js';
export type { ClientErrorCode } from './client-error.js';
export { CommandRunner } from './command-runner.js';
export type { RunOutcome, RunnerOptions } from './command-runner.js';
export { downloadPath, safeFileName } from './download-path.js';
export type { FileInfo } from './download-sink.js';
export type { EventPredicate, WaitOptions } from './event-queue.js';
export type { ConnectionChange, ReconnectingClientEvents, Restored, Restorer } from './reconnect-events.js';
export { formatSeconds, ReconnectPolicy } from './reconnect-policy.js';
export type { ReconnectOptions } from './reconnect-policy.js';
export { ReconnectingClient } from './reconnecting-client.js';
export { replyError } from './reply-error.js';
export { runScriptClient } from './script-client.js';
export type { ScriptClientOptions, ScriptLine } from './script-client.js';
export { ScriptDriver } from './script-driver.js';
export type { NextOptions } from './script-driver.js';
export { parseServerAddress } from './server-address.js';
export { parseSlashCommand, SLASH_COMMANDS } from './slash-commands.js';
export type { RoomChange, SlashCommand, SlashContext } from './slash-commands.js';
export { runTerminalClient, TerminalClient } from './terminal-client.js';
export type { TerminalClientOptions, TerminalOptions } from './terminal-client.js';

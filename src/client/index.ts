// The chat client: its folders are described in README.md.

// connection/: one connection to a server, its types, errors and file transfers.
export { ChatClient } from './connection/chat-client.js';
export type { RequestOptions } from './connection/chat-client.js';
export type {
  ByeReason,
  ChatClientEvents,
  ChatSession,
  ConnectOptions,
  ServerIdentity,
  Transport,
} from './connection/client-types.js';
export { ClientError } from './connection/client-error.js';
export type { ClientErrorCode } from './connection/client-error.js';
export { replyError } from './connection/reply-error.js';
export type { EventPredicate, WaitOptions } from './connection/event-queue.js';
export { downloadPath, safeFileName } from './connection/download-path.js';
export type { FileInfo } from './connection/download-sink.js';
export { parseServerAddress } from './connection/server-address.js';

// reconnect/: the same session over connections that come and go.
export { ReconnectingClient } from './reconnect/reconnecting-client.js';
export { ReconnectPolicy } from './reconnect/reconnect-policy.js';
export { formatSeconds } from '../util/format-seconds.js';
export type { ReconnectOptions } from './reconnect/reconnect-policy.js';
export type {
  ConnectionChange,
  ReconnectingClientEvents,
  Restored,
  Restorer,
} from './reconnect/reconnect-events.js';

// commands/: the slash commands and the runner both clients use.
export { parseSlashCommand, SLASH_COMMANDS } from './commands/slash-commands.js';
export type { RoomChange, SlashCommand, SlashContext } from './commands/slash-commands.js';
export { CommandRunner } from './commands/command-runner.js';
export type { RunOutcome, RunnerOptions } from './commands/command-runner.js';

// terminal/: the interactive client.
export { runTerminalClient, TerminalClient } from './terminal/terminal-client.js';
export type { TerminalClientOptions, TerminalOptions } from './terminal/terminal-client.js';

// script/: `chatlab client --script` and the driver that runs it from another program.
export { runScriptClient } from './script/script-client.js';
export type { ScriptClientOptions, ScriptLine } from './script/script-client.js';
export { ScriptDriver } from './script/script-driver.js';
export type { NextOptions } from './script/script-driver.js';

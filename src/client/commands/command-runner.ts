import path from 'node:path';
import type { ReplyFrame } from '../../protocol/index.js';
import { ChatError } from '../../protocol/index.js';
import type { ChatSession } from '../connection/client-types.js';
import { downloadPath, downloadTarget } from '../connection/download-path.js';
import { DownloadSpool } from '../connection/download-spool.js';
import { fileSource } from '../connection/upload-source.js';
import { ReconnectingClient } from '../reconnect/reconnecting-client.js';
import type { SessionState } from './runner-restore.js';
import { restoreSession, sawMessage } from './runner-restore.js';
import type { SlashCommand } from './slash-commands.js';
import { parseSlashCommand } from './slash-commands.js';

/** What running one typed line came to. */
export type RunOutcome =
  | { type: 'reply'; command: string; verb: string; reply: ReplyFrame }
  | { type: 'local'; command: string; ok: boolean; message: string; data?: Record<string, unknown> }
  | { type: 'error'; command: string; message: string }
  | { type: 'quit' };

export interface RunnerOptions {
  /** Where `/get` puts files when no path is given (default ./downloads). */
  downloadDir?: string;
}

const describeError = (error: unknown): string => {
  if (error instanceof ChatError) return `${error.status} ${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
};

/** Reads `a.b` paths of an event body, for `/wait MSG from=alice file.name=x`. */
const lookup = (body: Record<string, unknown>, key: string): unknown =>
  key.split('.').reduce<unknown>((value, part) => (value as Record<string, unknown> | null)?.[part], body);

/**
 * Runs typed lines (slash commands, plain text) on a ChatClient, for the interactive and the script client
 * alike, and keeps the session's state: who is logged in and the current room.
 */
export class CommandRunner implements SessionState {
  user: string | undefined;
  room: string | undefined;
  readonly lastSeen = new Map<string, number>();
  /** True once /quit has begun: the connection is about to close on purpose. */
  quitting = false;
  private readonly downloadDir: string;

  constructor(
    readonly client: ChatSession,
    options: RunnerOptions = {},
  ) {
    this.downloadDir = options.downloadDir ?? path.resolve('downloads');
    client.on('event', ({ event, body }) => {
      if (event === 'DELETED' && body.room === this.room) this.room = undefined;
      if (event === 'MSG') sawMessage(this, body.room, body.id);
    });
    // After a lost connection: the same user, the same room, and what the room said meanwhile.
    if (client instanceof ReconnectingClient)
      client.onRestore((conn, login) => restoreSession(this, conn, login));
  }

  /** Parses and runs one line; `undefined` for a blank line. */
  run(line: string): Promise<RunOutcome | undefined> {
    return this.execute(this.parse(line));
  }

  /** Reads a typed line in the session's current state (plain text goes to the current room). */
  parse(line: string): SlashCommand {
    return parseSlashCommand(line, { room: this.room });
  }

  /** Runs a parsed command; `undefined` for a blank line. */
  async execute(command: SlashCommand): Promise<RunOutcome | undefined> {
    if (command.kind === 'empty') return undefined;
    if (command.kind === 'invalid')
      return { type: 'error', command: command.command, message: command.message };
    try {
      return await this.perform(command);
    } catch (error) {
      return { type: 'local', command: command.command, ok: false, message: describeError(error) };
    }
  }

  private async perform(command: Exclude<SlashCommand, { kind: 'empty' | 'invalid' }>): Promise<RunOutcome> {
    const local = (message: string, data?: Record<string, unknown>): RunOutcome => ({
      type: 'local',
      command: command.command,
      ok: true,
      message,
      ...(data ? { data } : {}),
    });
    switch (command.kind) {
      case 'request': {
        const reply = await this.client.request(command.verb, command.args);
        if (reply.code < 400) this.track(command, reply);
        return { type: 'reply', command: command.command, verb: command.verb, reply };
      }
      case 'room':
        if (command.room !== undefined) this.room = command.room;
        return local(this.room === undefined ? 'no current room' : `current room: ${this.room}`, {
          room: this.room ?? null,
        });
      case 'help':
        return local(command.text);
      case 'raw':
        this.client.sendLine(command.line);
        return local(`sent: ${command.line}`);
      case 'send': {
        // Read as it is sent, hashed on the way (the digest follows the bytes): the first byte goes at once.
        const source = await fileSource(command.path).catch((error: unknown) => {
          const why =
            (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : describeError(error);
          throw new Error(`cannot read ${command.path}: ${why}`);
        });
        const { file } = await this.client.upload(command.target, source, path.basename(command.path));
        return local(`sent ${file.name} (${file.size} bytes) to ${command.target} as file ${file.id}`, {
          file,
        });
      }
      case 'get': {
        // Written to disk as the bytes arrive, into the folder it will end in (DownloadSpool).
        const { folder } = await downloadTarget(command.path, this.downloadDir);
        const spool = await DownloadSpool.open(folder);
        try {
          const { file } = await this.client.downloadTo(
            command.fileId,
            (bytes) => spool.write(bytes),
            (length) => spool.reserve(length),
          );
          const where = await downloadPath(file.name, file.id, {
            requested: command.path,
            downloadDir: this.downloadDir,
          });
          await spool.keep(where, command.path === undefined);
          return local(`saved file ${file.id} (${file.size} bytes, SHA-256 checked) to ${where}`, {
            file,
            path: where,
          });
        } catch (error) {
          await spool.discard();
          throw error;
        }
      }
      case 'wait': {
        const { event, match, timeoutMs } = command;
        const predicate = (body: Record<string, unknown>): boolean =>
          Object.entries(match).every(([key, value]) => String(lookup(body, key)) === value);
        const frame = await this.client.waitForEvent(event, predicate, { timeoutMs });
        return local(`got * ${frame.event}`, { event: frame.event, body: frame.body });
      }
      case 'sleep':
        await new Promise((resolve) => setTimeout(resolve, command.ms));
        return local(`slept ${command.ms} ms`);
      case 'quit':
        this.quitting = true;
        await this.client.quit();
        return { type: 'quit' };
    }
  }

  /** Follows the session's state from successful replies (docs/PROTOCOL.md §4). */
  private track(command: Extract<SlashCommand, { kind: 'request' }>, reply: ReplyFrame): void {
    if (command.verb === 'LOGIN') {
      const user = reply.body.user as { name?: unknown } | undefined;
      this.user = typeof user?.name === 'string' ? user.name : undefined;
      const rooms = Array.isArray(reply.body.rooms) ? (reply.body.rooms as { name?: unknown }[]) : [];
      const first = rooms[0]?.name;
      if (this.room === undefined && typeof first === 'string') this.room = first;
    } else if (command.verb === 'LOGOUT') {
      this.user = undefined;
      this.room = undefined;
    }
    const change = command.room;
    if (command.verb === 'SAY') sawMessage(this, command.args.split(' ')[0], reply.body.id);
    if (change && 'enter' in change) {
      const history = Array.isArray(reply.body.history) ? (reply.body.history as { id?: unknown }[]) : [];
      sawMessage(this, change.enter, history.at(-1)?.id ?? 0);
    }
    if (change && 'enter' in change) this.room = change.enter;
    else if (change && change.leave === this.room) this.room = undefined;
  }
}

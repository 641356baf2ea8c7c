import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ConnectOptions } from '../connection/client-types.js';
import type { RunOutcome } from '../commands/command-runner.js';
import { CommandRunner } from '../commands/command-runner.js';
import type { ConnectionChange } from '../reconnect/reconnect-events.js';
import type { ReconnectOptions } from '../reconnect/reconnect-policy.js';
import { ReconnectingClient } from '../reconnect/reconnecting-client.js';
import type { SlashCommand } from '../commands/slash-commands.js';

export interface ScriptClientOptions {
  connect: ConnectOptions;
  /** Slash commands, one a line (stdin). */
  input: Readable;
  /** One JSON object a line (stdout). */
  output: Writable;
  /** Log in as this user first, when a password is given too. */
  user?: string | undefined;
  password?: string | undefined;
  downloadDir?: string | undefined;
  /** How to reconnect when the connection is lost (default: 30 attempts; `{ attempts: 0 }`: never). */
  reconnect?: ReconnectOptions | undefined;
}

/** One line of the script client's output (see `runScriptClient`). */
export type ScriptLine =
  | {
      type: 'reply';
      tag: number | null;
      code: number;
      reason: string;
      body: Record<string, unknown>;
      /** The verb of the request it answers, when this client sent it. */
      verb?: string;
      /** On the final reply that completes a command: the command and its input line number. */
      command?: string;
      line?: number;
    }
  | { type: 'event'; event: string; data: Record<string, unknown> }
  | { type: 'local'; command: string; ok: boolean; message: string; line?: number; [key: string]: unknown }
  | { type: 'error'; message: string; command?: string; line?: number }
  /** The connection was lost, is back, or reconnecting gave up (src/client/reconnect/reconnect-events.ts). */
  | ({ type: 'connection' } & ConnectionChange);

/** Lines of a stream, one at a time, with a way to stop waiting when something else happens first. */
class LineReader {
  private readonly lines: string[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  readonly rl: readline.Interface;

  constructor(input: Readable) {
    this.rl = readline.createInterface({ input, terminal: false, crlfDelay: Infinity });
    this.rl.on('line', (line) => {
      this.lines.push(line);
      this.wake?.();
    });
    this.rl.on('close', () => {
      this.ended = true;
      this.wake?.();
    });
  }

  /** The next line, or null at the end of the input. */
  async next(): Promise<string | null> {
    while (this.lines.length === 0 && !this.ended) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    return this.lines.shift() ?? null;
  }
}

/**
 * The scriptable client: reads slash commands from `input`, one a line, and runs them one after the other;
 * writes one JSON object a line to `output` for every reply received (`type: "reply"`), every event
 * (`"event"`), the outcome of every local command such as /send, /get, /wait (`"local"`) and every error
 * (`"error"`). Every non-blank input line is completed by exactly one output line carrying its line number
 * (`"line": n`, from 1): the final reply of its request (which also carries `"command"`), or a `local` or
 * `error` line. A lost connection is reconnected (`"connection"` lines say so: `lost`, `reconnected`,
 * `closed`), logged in again and put back in its room; commands wait meanwhile. At the end of the input it
 * sends QUIT and resolves with the exit code: 0, or 1 when the connection could not be opened, or was lost
 * for good.
 */
export async function runScriptClient(options: ScriptClientOptions): Promise<number> {
  const { output } = options;
  const print = (line: ScriptLine): void => {
    output.write(`${JSON.stringify(line)}\n`);
  };
  let client: ReconnectingClient;
  try {
    client = await ReconnectingClient.connect({ ...options.connect, reconnect: options.reconnect ?? {} });
  } catch (error) {
    print({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    return 1;
  }
  const server = client.server;
  print({ type: 'local', command: '/connect', ok: true, message: `connected to ${client.address}`, server });

  /** The command being run and its input line number (0 for the --user login). */
  let current: { line: number; command: SlashCommand } | undefined;
  client.on('reply', ({ tag, code, reason, body }, verb) => {
    const line: ScriptLine = { type: 'reply', tag, code, reason, body, ...(verb ? { verb } : {}) };
    const command = current?.command;
    if (current && command?.kind === 'request' && tag !== null && code >= 200 && verb === command.verb) {
      print({ ...line, command: command.command, line: current.line });
      current = undefined;
    } else print(line);
  });
  client.on('event', ({ event, body }) => {
    print({ type: 'event', event, data: body });
  });
  client.on('problem', (message) => {
    print({ type: 'error', message });
  });
  client.on('connection', (change) => {
    print({ type: 'connection', ...change });
  });

  const runner = new CommandRunner(client, options.downloadDir ? { downloadDir: options.downloadDir } : {});
  const run = async (text: string, line: number): Promise<RunOutcome | undefined> => {
    const command = runner.parse(text);
    current = { line, command };
    const outcome = await runner.execute(command);
    current = undefined;
    if (outcome?.type === 'local') {
      const { command: name, ok, message, data } = outcome;
      print({ type: 'local', command: name, ok, message, line, ...data });
    } else if (outcome?.type === 'error') {
      print({ type: 'error', command: outcome.command, message: outcome.message, line });
    } else if (outcome?.type === 'quit') {
      print({ type: 'local', command: '/quit', ok: true, message: 'bye', line });
    }
    return outcome;
  };
  if (options.user !== undefined && options.password !== undefined) {
    await run(`/login ${options.user} ${options.password}`, 0);
  }

  const reader = new LineReader(options.input);
  let quit = false;
  const lost = client.closed.then(() => null);
  try {
    for (let number = 1; ; number++) {
      const text = await Promise.race([reader.next(), lost]);
      if (text === null) break;
      if ((await run(text, number))?.type === 'quit') {
        quit = true;
        break;
      }
    }
  } finally {
    reader.rl.close();
  }
  if (!client.isOpen && !quit) {
    const why = client.gaveUp
      ? (client.closeReason?.message ?? 'gave up reconnecting')
      : client.bye
        ? `BYE ${client.bye.code}: ${client.bye.message}`
        : 'closed by the server';
    print({ type: 'error', message: `connection to ${client.address} lost (${why})` });
    return 1;
  }
  if (!quit) await client.quit().catch(() => undefined);
  return 0;
}

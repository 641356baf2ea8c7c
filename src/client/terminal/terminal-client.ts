import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ChatSession, ConnectOptions } from '../connection/client-types.js';
import type { RunOutcome } from '../commands/command-runner.js';
import { CommandRunner } from '../commands/command-runner.js';
import type { ReconnectOptions } from '../reconnect/reconnect-policy.js';
import { ReconnectingClient } from '../reconnect/reconnecting-client.js';
import { SLASH_COMMANDS } from '../commands/slash-commands.js';
import type { Palette } from './terminal-format.js';
import { COLORS, formatEvent, formatReply, NO_COLORS } from './terminal-format.js';

export interface TerminalOptions {
  input: Readable;
  output: Writable & { isTTY?: boolean; columns?: number };
  /** Line editing with escape sequences (default: whether output is a TTY). */
  terminal?: boolean | undefined;
  /** Colours, only ever used on a terminal (default true). */
  color?: boolean | undefined;
  downloadDir?: string | undefined;
}

export interface TerminalClientOptions extends TerminalOptions {
  connect: ConnectOptions;
  user?: string | undefined;
  password?: string | undefined;
  /** How to reconnect when the connection is lost (default: 30 attempts; `{ attempts: 0 }`: never). */
  reconnect?: ReconnectOptions | undefined;
}

const complete = (line: string): [string[], string] => {
  if (!/^\/\w*$/.test(line)) return [[], line];
  return [SLASH_COMMANDS.filter((name) => name.startsWith(line.toLowerCase())), line];
};

/**
 * The interactive client on a terminal: a prompt showing user@room, commands run as they are typed, and
 * everything that arrives printed above the line being typed, which is then redrawn as it was.
 */
export class TerminalClient {
  readonly runner: CommandRunner;
  /** Resolves with the exit code once the session has ended. */
  readonly done: Promise<number>;
  private readonly rl: readline.Interface;
  private readonly terminal: boolean;
  private readonly colors: Palette;
  private readonly output: TerminalOptions['output'];
  private quitting = false;
  /** The reason the session ended was printed already (reconnecting gave up). */
  private explained = false;
  private finish!: (code: number) => void;

  constructor(
    readonly client: ChatSession,
    options: TerminalOptions,
  ) {
    this.output = options.output;
    this.terminal = options.terminal ?? options.output.isTTY === true;
    this.colors = this.terminal && options.color !== false ? COLORS : NO_COLORS;
    this.runner = new CommandRunner(client, options.downloadDir ? { downloadDir: options.downloadDir } : {});
    this.done = new Promise((resolve) => (this.finish = resolve));
    this.rl = readline.createInterface({
      input: options.input,
      output: options.output,
      terminal: this.terminal,
      completer: complete,
      historySize: 200,
    });
    this.setPrompt();
    this.rl.on('line', (line) => {
      this.redraw();
      void this.run(line);
    });
    this.rl.on('close', () => void this.end());
    client.on('event', (frame) => {
      this.setPrompt();
      this.print(formatEvent(frame, this.colors));
    });
    client.on('reply', (reply, verb) => {
      if (verb === undefined && reply.tag === null)
        this.print(`${reply.code} ${reply.reason} ${JSON.stringify(reply.body)}`);
    });
    client.on('problem', (message) => {
      this.print(this.colors.red(`server sent a bad frame: ${message}`));
    });
    if (client instanceof ReconnectingClient) {
      client.on('connection', (change) => {
        if (change.state === 'closed') this.explained = true;
        this.setPrompt();
        const paint = change.state === 'reconnected' ? this.colors.green : this.colors.red;
        this.print(paint(change.message));
      });
    }
    client.on('close', () => {
      if (this.quitting || this.runner.quitting) return;
      const why = client.bye ? `: ${client.bye.code}: ${client.bye.message}` : '';
      if (!this.explained) this.print(this.colors.red(`connection to ${client.address} closed${why}`));
      this.quitting = true;
      this.rl.close();
      this.finish(1);
    });
  }

  /** Shows the greeting and the first prompt. */
  start(): void {
    this.print(formatEvent({ kind: 'event', event: 'HELLO', body: this.client.server }, this.colors));
    this.print(this.colors.dim('type /help for the commands; plain text goes to the current room'));
  }

  /** Runs one line as if typed (used for --user/--password). */
  async run(line: string): Promise<void> {
    const outcome = await this.runner.run(line);
    if (outcome) this.show(outcome);
  }

  /**
   * Prints text above the line being typed: moves to where the prompt starts, clears it, prints, and lets
   * readline redraw the prompt with what was typed and the cursor where it was.
   */
  print(text: string): void {
    if (text === '') return;
    if (!this.terminal || this.quitting) {
      this.output.write(`${text}\n`);
      return;
    }
    // Up to the row where the prompt starts (the typed line may wrap), clear from there down, print.
    const { rows } = this.rl.getCursorPos();
    readline.moveCursor(this.output, 0, -rows);
    readline.cursorTo(this.output, 0);
    readline.clearScreenDown(this.output);
    this.output.write(`${text}\n`);
    // readline redraws from `prevRows` rows above the cursor, a count it leaves stale after a paste; the
    // cursor is now where the prompt starts, so that count is 0.
    (this.rl as unknown as { prevRows: number }).prevRows = 0;
    this.rl.prompt(true);
  }

  /** Sets the prompt to user@room; true when it changed. */
  private setPrompt(): boolean {
    const { user, room } = this.runner;
    const away = this.client instanceof ReconnectingClient && !this.client.connected;
    const state = away ? this.colors.red(' (reconnecting)') : '';
    const prompt = `${this.colors.bold(user ?? 'guest')}@${this.colors.cyan(room ?? '-')}${state}> `;
    const changed = prompt !== this.rl.getPrompt();
    this.rl.setPrompt(prompt);
    return changed;
  }

  /** Draws the prompt and the line being typed again, the cursor where it was. */
  private redraw(): void {
    if (this.terminal && !this.quitting) this.rl.prompt(true);
  }

  private show(outcome: RunOutcome): void {
    const c = this.colors;
    if (outcome.type === 'quit') {
      this.quitting = true;
      this.rl.close();
      this.finish(0);
      return;
    }
    const changed = this.setPrompt();
    const text =
      outcome.type === 'reply'
        ? formatReply(outcome.verb, outcome.reply, c)
        : outcome.type === 'error'
          ? c.red(outcome.message)
          : outcome.ok
            ? outcome.message
            : c.red(`${outcome.command}: ${outcome.message}`);
    if (text !== '') this.print(text);
    else if (changed) this.redraw();
  }

  private async end(): Promise<void> {
    if (this.quitting) return;
    this.quitting = true;
    this.output.write('\n');
    await this.client.quit().catch(() => undefined);
    this.finish(0);
  }
}

/** Connects, starts the interactive client, logs in if asked, and resolves with the exit code. */
export async function runTerminalClient(options: TerminalClientOptions): Promise<number> {
  let client: ReconnectingClient;
  try {
    client = await ReconnectingClient.connect({ ...options.connect, reconnect: options.reconnect ?? {} });
  } catch (error) {
    options.output.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const terminal = new TerminalClient(client, options);
  terminal.start();
  if (options.user !== undefined && options.password !== undefined) {
    await terminal.run(`/login ${options.user} ${options.password}`);
  }
  return terminal.done;
}

import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { ChatClient } from './chat-client.js';
import type { ConnectOptions } from './client-types.js';
import type { RunOutcome } from './command-runner.js';
import { CommandRunner } from './command-runner.js';

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
}

/** One line of the script client's output (see `runScriptClient`). */
export type ScriptLine =
  | { type: 'reply'; tag: number | null; code: number; reason: string; body: object; verb?: string }
  | { type: 'event'; event: string; data: object }
  | { type: 'local'; command: string; ok: boolean; message: string; [key: string]: unknown }
  | { type: 'error'; message: string; command?: string };

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
 * (`"error"`). Each command line ends with exactly one line about it: the final reply of its request, or
 * a `local` or `error` line. At the end of the input it quits politely and resolves with the exit code:
 * 0, or 1 when the connection could not be opened or was lost.
 */
export async function runScriptClient(options: ScriptClientOptions): Promise<number> {
  const { output } = options;
  const print = (line: ScriptLine): void => {
    output.write(`${JSON.stringify(line)}\n`);
  };
  let client: ChatClient;
  try {
    client = await ChatClient.connect(options.connect);
  } catch (error) {
    print({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    return 1;
  }
  print({
    type: 'local',
    command: '/connect',
    ok: true,
    message: `connected to ${client.address}`,
    server: client.server,
  });
  client.on('reply', ({ tag, code, reason, body }, verb) => {
    print(
      verb ? { type: 'reply', tag, code, reason, body, verb } : { type: 'reply', tag, code, reason, body },
    );
  });
  client.on('event', ({ event, body }) => {
    print({ type: 'event', event, data: body });
  });
  client.on('problem', (message) => {
    print({ type: 'error', message });
  });

  const runner = new CommandRunner(client, options.downloadDir ? { downloadDir: options.downloadDir } : {});
  const report = (outcome: RunOutcome | undefined): void => {
    if (outcome?.type === 'local') {
      const { command, ok, message, data } = outcome;
      print({ type: 'local', command, ok, message, ...data });
    } else if (outcome?.type === 'error')
      print({ type: 'error', command: outcome.command, message: outcome.message });
  };
  if (options.user !== undefined && options.password !== undefined) {
    report(await runner.run(`/login ${options.user} ${options.password}`));
  }

  const reader = new LineReader(options.input);
  let quit = false;
  const lost = client.closed.then(() => null);
  try {
    for (;;) {
      const line = await Promise.race([reader.next(), lost]);
      if (line === null) break;
      const outcome = await runner.run(line);
      report(outcome);
      if (outcome?.type === 'quit') {
        quit = true;
        break;
      }
    }
  } finally {
    reader.rl.close();
  }
  if (!client.isOpen && !quit) {
    const why = client.bye ? `BYE ${client.bye.code}: ${client.bye.message}` : 'closed by the server';
    print({ type: 'error', message: `connection to ${client.address} lost (${why})` });
    return 1;
  }
  if (!quit) await client.quit().catch(() => undefined);
  return 0;
}

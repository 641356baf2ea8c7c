import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { Arrivals } from '../../util/arrivals.js';
import { ClientError } from '../connection/client-error.js';
import type { ScriptLine } from './script-client.js';

export interface NextOptions {
  /** How long to wait, in milliseconds (default 10000). */
  timeoutMs?: number;
  /** Said in the timeout error: what was awaited. */
  what?: string;
}

/**
 * Drives a script client (`chatlab client --script`) from another program, step by step: over in-process
 * streams, a child process's stdio, or `docker exec -i`. `command` sends a line and resolves with the output
 * line that completes it; `next` waits for any output line, e.g. an event. Each output line is taken by at
 * most one wait, and lines that arrived before a wait began are not missed.
 */
export class ScriptDriver {
  /** Resolves when the client's output ends. */
  readonly ended: Promise<void>;
  private readonly output = new Arrivals<ScriptLine>();
  private sent = 0;

  constructor(
    private readonly stdin: Writable,
    stdout: Readable,
  ) {
    const rl = readline.createInterface({ input: stdout, terminal: false, crlfDelay: Infinity });
    rl.on('line', (text) => {
      if (text.trim() !== '') this.output.push(JSON.parse(text) as ScriptLine);
    });
    this.ended = new Promise((resolve) =>
      rl.on('close', () => {
        this.output.end(new Error('the output ended'));
        resolve();
      }),
    );
  }

  /** Every output line, in order. */
  get lines(): readonly ScriptLine[] {
    return this.output.all;
  }

  /** Sends one command line; resolves with the output line that completes it (`line` = its number). */
  command(text: string, options: NextOptions = {}): Promise<ScriptLine> {
    if (/[\r\n]/.test(text) || text.trim() === '')
      throw new TypeError('one non-blank command line at a time');
    const number = ++this.sent;
    this.stdin.write(`${text}\n`);
    const what = options.what ?? `the outcome of line ${number} (${text.split(' ')[0] ?? ''})`;
    return this.next((line) => 'line' in line && line.line === number, { ...options, what });
  }

  /** The first output line matching `match` that no earlier wait took, waiting for it if needed. */
  next(match: (line: ScriptLine) => boolean, options: NextOptions = {}): Promise<ScriptLine> {
    const { timeoutMs = 10_000, what = 'a matching output line' } = options;
    return this.output.take(match, {
      what,
      timeoutMs,
      timedOut: ({ arrived }) => {
        const during = arrived.map((line) => JSON.stringify(line));
        const seen = during.length > 0 ? `lines that arrived: ${during.join(' ')}` : 'no lines arrived';
        return new ClientError('CLIENT_TIMEOUT', `waited ${timeoutMs} ms for ${what}; ${seen}`);
      },
      ended: () => new ClientError('CLIENT_CLOSED', `the script client ended its output before ${what}`),
    });
  }

  /** Waits for an event line, e.g. `event('MSG', (data) => data.from === 'bob')`. */
  async event(
    event: string,
    match: (data: Record<string, unknown>) => boolean = () => true,
    options: NextOptions = {},
  ): Promise<Record<string, unknown>> {
    const line = await this.next((l) => l.type === 'event' && l.event === event && match(l.data), {
      what: `* ${event}`,
      ...options,
    });
    return line.type === 'event' ? line.data : {};
  }

  /** Closes the client's input: it finishes the commands sent, then quits. */
  closeInput(): void {
    this.stdin.end();
  }

  /** Closes the client's input and waits for its output to end. */
  async end(): Promise<void> {
    this.closeInput();
    await this.ended;
  }
}

import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { ClientError } from './client-error.js';
import type { ScriptLine } from './script-client.js';

export interface NextOptions {
  /** How long to wait, in milliseconds (default 10000). */
  timeoutMs?: number;
  /** Said in the timeout error: what was awaited. */
  what?: string;
}

interface Waiter {
  match: (line: ScriptLine) => boolean;
  resolve: (line: ScriptLine) => void;
  reject: (error: Error) => void;
}

/**
 * Drives a script client (`chatlab client --script`) from another program, step by step: over in-process
 * streams, a child process's stdio, or `docker exec -i`. `command` sends a line and resolves with the output
 * line that completes it; `next` waits for any output line, e.g. an event. Each output line is taken by at
 * most one wait, and lines that arrived before a wait began are not missed.
 */
export class ScriptDriver {
  /** Every output line, in order. */
  readonly lines: ScriptLine[] = [];
  /** Resolves when the client's output ends. */
  readonly ended: Promise<void>;
  private readonly taken = new Set<number>();
  private readonly waiters: Waiter[] = [];
  private sent = 0;
  private isEnded = false;

  constructor(
    private readonly stdin: Writable,
    stdout: Readable,
  ) {
    const rl = readline.createInterface({ input: stdout, terminal: false, crlfDelay: Infinity });
    rl.on('line', (text) => {
      if (text.trim() !== '') this.push(JSON.parse(text) as ScriptLine);
    });
    this.ended = new Promise((resolve) =>
      rl.on('close', () => {
        this.isEnded = true;
        for (const waiter of this.waiters.splice(0)) {
          waiter.reject(new ClientError('CLIENT_CLOSED', 'the script client ended its output'));
        }
        resolve();
      }),
    );
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
    const index = this.lines.findIndex((line, i) => !this.taken.has(i) && match(line));
    const found = this.lines[index];
    if (found) {
      this.taken.add(index);
      return Promise.resolve(found);
    }
    if (this.isEnded) {
      return Promise.reject(new ClientError('CLIENT_CLOSED', `the script client ended before ${what}`));
    }
    return new Promise<ScriptLine>((resolve, reject) => {
      const since = this.lines.length;
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        const during = this.lines.slice(since).map((line) => JSON.stringify(line));
        const seen = during.length > 0 ? `lines that arrived: ${during.join(' ')}` : 'no lines arrived';
        reject(new ClientError('CLIENT_TIMEOUT', `waited ${timeoutMs} ms for ${what}; ${seen}`));
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.push(waiter);
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

  private push(line: ScriptLine): void {
    const index = this.lines.push(line) - 1;
    const waiter = this.waiters.find((w) => w.match(line));
    if (!waiter) return;
    this.taken.add(index);
    this.waiters.splice(this.waiters.indexOf(waiter), 1);
    waiter.resolve(line);
  }
}

import readline from 'node:readline';
import type { ProcessPromise } from 'zx';
import type { ContainerShell } from './container-shell.js';
import { describeEvent, listArrived, matchesEvent, type EventMatch } from './event-match.js';
import type { EventSource } from './event-source.js';
import { ScenarioError } from './scenario-error.js';
import type { StepLog } from './step-log.js';

/** One line the server sent, as nc printed it. */
interface ServerLine {
  text: string;
  taken: boolean;
  /** For `* EVENT {json}` lines. */
  event?: string;
  data?: Record<string, unknown>;
}

/** A reply line `<tag> <code> <reason>[ <json>]` (docs/PROTOCOL.md §1). */
const REPLY = /^(-|\d{1,9}) (\d{3}) /;

/**
 * A session typed by hand through `nc -C <server> <port>` in a client container: the protocol as a person
 * sees it, each line written and each reply printed as the raw text the server sent.
 */
export class NetcatSession implements EventSource {
  readonly lines: ServerLine[] = [];
  #ended = false;
  #wake = new Set<() => void>();
  #stderr = '';

  private constructor(
    readonly name: string,
    private readonly process: ProcessPromise,
    private readonly log: StepLog,
  ) {
    const rl = readline.createInterface({ input: process.stdout, terminal: false, crlfDelay: Infinity });
    rl.on('line', (text) => {
      const event = /^\* ([A-Z_]+)(?: (.*))?$/.exec(text);
      let data: Record<string, unknown> | undefined;
      try {
        data = event?.[2] === undefined ? undefined : (JSON.parse(event[2]) as Record<string, unknown>);
      } catch {
        data = undefined;
      }
      this.lines.push({
        text,
        taken: false,
        ...(event?.[1] === undefined ? {} : { event: event[1], data: data ?? {} }),
      });
      for (const wake of this.#wake) wake();
    });
    process.stderr.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-1000);
    });
    rl.on('close', () => {
      this.#ended = true;
      for (const wake of this.#wake) wake();
    });
  }

  /** Opens `nc -C <ip> <port>` in the host's container and waits for the server's greeting (one step). */
  static async open(shell: ContainerShell, log: StepLog, ip: string, port: number): Promise<NetcatSession> {
    return log.run(shell.host, `$ nc -C ${ip} ${port}`, 'the * HELLO greeting', async () => {
      const session = new NetcatSession(shell.host, shell.spawn(['nc', '-C', ip, String(port)]), log);
      const hello = await session.#take((line) => line.event === 'HELLO', 10_000, 'the * HELLO greeting');
      return { value: session, result: hello.text };
    });
  }

  get isOpen(): boolean {
    return !this.#ended;
  }

  /**
   * Types one protocol line and waits for the reply with the same tag (`-` for an untagged line); the
   * reply's code must be `expect` (default: any 2xx). Resolves with the reply line as the server sent it.
   */
  async type(line: string, options: { expect?: number; timeoutMs?: number } = {}): Promise<string> {
    const tag = /^(\d{1,9}) /.exec(line)?.[1] ?? '-';
    const expected = options.expect === undefined ? 'a 2xx reply' : `a ${options.expect} reply`;
    return this.log.run(this.name, `nc> ${line}`, expected, async () => {
      this.process.stdin.write(`${line}\n`);
      const reply = await this.#take(
        (l) => REPLY.exec(l.text)?.[1] === tag,
        options.timeoutMs ?? 10_000,
        `the reply tagged ${tag} to "${line.slice(0, 40)}"`,
      );
      const code = Number(REPLY.exec(reply.text)?.[2]);
      const ok = options.expect === undefined ? code >= 200 && code < 300 : code === options.expect;
      if (!ok) {
        throw new ScenarioError('SCENARIO_UNEXPECTED_REPLY', `the server answered ${reply.text}`, expected);
      }
      return { value: reply.text, result: shorten(reply.text) };
    });
  }

  /** Waits for an event line (`* MSG {...}`) matching, as ScenarioClient.waitFor does. */
  async waitFor(
    event: string,
    match: EventMatch = {},
    options: { timeoutMs?: number } = {},
  ): Promise<string> {
    const what = describeEvent(event, match);
    return this.log.run(this.name, `waits for ${what}`, what, async () => {
      const line = await this.#take(
        (l) => l.event === event && matchesEvent(l.data ?? {}, match),
        options.timeoutMs ?? 10_000,
        what,
      );
      return { value: line.text, result: shorten(line.text) };
    });
  }

  async awaitEvent(event: string, match: EventMatch, timeoutMs: number): Promise<Record<string, unknown>> {
    const what = describeEvent(event, match);
    const line = await this.#take(
      (l) => l.event === event && matchesEvent(l.data ?? {}, match),
      timeoutMs,
      what,
    );
    return line.data ?? {};
  }

  hasReceived(event: string, match: EventMatch): boolean {
    return this.lines.some((l) => l.event === event && matchesEvent(l.data ?? {}, match));
  }

  /** Closes nc's input and waits for it to exit (the server closes after QUIT). */
  async close(timeoutMs = 5_000): Promise<void> {
    this.process.stdin.end();
    if (!this.#ended) await new Promise((resolve) => setTimeout(resolve, Math.min(timeoutMs, 500)));
    if (!this.#ended) void this.process.kill();
    await this.process;
  }

  /** The first line not taken yet that matches, waiting up to `timeoutMs` for it. */
  async #take(match: (line: ServerLine) => boolean, timeoutMs: number, what: string): Promise<ServerLine> {
    const since = this.lines.length;
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.lines.find((line) => !line.taken && match(line));
        if (found === undefined && !this.#ended) return;
        clearTimeout(timer);
        this.#wake.delete(check);
        if (found !== undefined) {
          found.taken = true;
          resolve(found);
        } else {
          // nc's output has ended: wait for its exit, so that its stderr says why.
          void this.process.then((output) => {
            const stderr = (this.#stderr || output.stderr).trim().split('\n').slice(-2).join(' | ');
            const why = `exit code ${String(output.exitCode)}${stderr === '' ? '' : `: ${stderr}`}`;
            reject(
              new ScenarioError(
                'SCENARIO_CLIENT_ENDED',
                `${this.name}'s nc ended (${why}) before ${what}`,
                what,
              ),
            );
          });
        }
      };
      const timer = setTimeout(() => {
        this.#wake.delete(check);
        const arrived = this.lines.slice(since).map((line) => shorten(line.text));
        reject(
          new ScenarioError(
            'SCENARIO_TIMEOUT',
            `${this.name}'s nc waited ${timeoutMs / 1000} s for ${what}; ${listArrived(arrived)}`,
            what,
          ),
        );
      }, timeoutMs);
      this.#wake.add(check);
      check();
    });
  }
}

function shorten(text: string): string {
  return text.length > 140 ? `${text.slice(0, 137)}...` : text;
}

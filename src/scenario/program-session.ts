import readline from 'node:readline';
import { Arrivals } from '../util/arrivals.js';
import type { RunningProcess } from '../util/process.js';
import { listArrived, shorten } from './event-match.js';
import type { ContainerShell } from './container-shell.js';
import { ScenarioError } from './scenario-error.js';
import type { StepLog } from './step-log.js';

/** One line a program printed, on its standard output or its standard error. */
export interface OutputLine {
  text: string;
  stream: 'stdout' | 'stderr';
}

/** A text to find in a line (`includes`) or a pattern to match. */
export type LinePattern = string | RegExp;

export interface ProgramOptions {
  /** The name steps print for it (default: the host's). */
  label?: string;
  /** What the start step prints (default: `$ <argv>`), for a long command line such as a shell loop. */
  title?: string;
  /** A line that says the program is ready: `start` waits for it in the same step. */
  ready?: LinePattern;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export function describePattern(pattern: LinePattern): string {
  return typeof pattern === 'string' ? `a line with "${pattern}"` : `a line matching ${String(pattern)}`;
}

export function matchesLine(text: string, pattern: LinePattern): boolean {
  return typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
}

/**
 * Any program started in a lab host's container with its stdin attached (`docker exec -i`): a student's
 * Python client, an IRC client, `nc`. A scenario types lines into it and waits for lines in its output, each
 * one numbered step (`[ 4] alice  types /nick alice  -> sent`). Every line it prints, on stdout or stderr, is
 * kept in order; a wait takes the oldest matching line no earlier wait took, and says, when it fails, what
 * was awaited and what the program printed meanwhile, or how it exited.
 */
export class ProgramSession {
  readonly output = new Arrivals<OutputLine>();
  #exited: Promise<{ exitCode: number | null; stderr: string }>;
  #stderrTail = '';
  /** The program's process id inside the container: the shell that starts it prints it first. */
  #pid: string | undefined;

  private constructor(
    readonly name: string,
    readonly argv: readonly string[],
    private readonly shell: ContainerShell,
    private readonly process: RunningProcess,
    private readonly log: StepLog,
  ) {
    process.stdin.on('error', () => undefined); // EPIPE once it has exited: the next wait says so instead
    const streams = { stdout: process.stdout, stderr: process.stderr } as const;
    let open = 2;
    for (const [stream, input] of Object.entries(streams) as ['stdout' | 'stderr', NodeJS.ReadableStream][]) {
      const lines = readline.createInterface({ input, terminal: false, crlfDelay: Infinity });
      lines.on('line', (text) => {
        if (stream === 'stdout' && this.#pid === undefined) {
          this.#pid = text.trim();
          return;
        }
        if (stream === 'stderr') this.#stderrTail = `${this.#stderrTail}\n${text}`.slice(-1000);
        this.output.push({ text, stream });
      });
      lines.on('close', () => {
        if (--open === 0) this.output.end(new Error(`${this.name}'s ${this.argv[0] ?? 'program'} ended`));
      });
    }
    this.#exited = process.exited.then((exit) => ({ exitCode: exit.exitCode, stderr: this.#stderrTail }));
  }

  /** Starts `argv` in the host's container (one step; with `ready`, it waits for that line too). */
  static async start(
    shell: ContainerShell,
    log: StepLog,
    argv: readonly string[],
    options: ProgramOptions = {},
  ): Promise<ProgramSession> {
    const name = options.label ?? shell.host;
    const expected = options.ready === undefined ? 'the program started' : describePattern(options.ready);
    return log.run(name, options.title ?? `$ ${argv.join(' ')}`, expected, async () => {
      // `exec` keeps the process id the shell printed: close() can end the program inside the container.
      const started = shell.spawn(['sh', '-c', 'echo "$$"; exec "$@"', 'sh', ...argv]);
      const session = new ProgramSession(name, argv, shell, started, log);
      if (options.ready === undefined) return { value: session, result: 'started' };
      const line = await session.#take(options.ready, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      return { value: session, result: shorten(line.text) };
    });
  }

  get isOpen(): boolean {
    return !this.output.hasEnded;
  }

  /** Every line printed so far, stdout and stderr in the order they arrived. */
  get lines(): readonly OutputLine[] {
    return this.output.all;
  }

  /** Types a line into the program's stdin (one step); with `expect`, waits for that output line too. */
  async type(
    line: string,
    options: { expect?: LinePattern; timeoutMs?: number } = {},
  ): Promise<string | undefined> {
    const expected = options.expect === undefined ? 'the line sent' : describePattern(options.expect);
    return this.log.run(this.name, `types ${line}`, expected, async () => {
      this.write(`${line}\n`);
      if (options.expect === undefined) return { value: undefined, result: 'sent' };
      const found = await this.#take(options.expect, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      return { value: found.text, result: shorten(found.text) };
    });
  }

  /** Waits for an output line (one step) and resolves with it. */
  async expect(pattern: LinePattern, options: { timeoutMs?: number } = {}): Promise<string> {
    const what = describePattern(pattern);
    return this.log.run(this.name, `waits for ${what}`, what, async () => {
      const found = await this.#take(pattern, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      return { value: found.text, result: shorten(found.text) };
    });
  }

  /** Whether any line so far matches, taken by a wait or not. */
  hasPrinted(pattern: LinePattern): boolean {
    return this.output.has((line) => matchesLine(line.text, pattern));
  }

  /** Writes to stdin without a step: for drivers built on this one. */
  write(text: string): void {
    this.process.stdin.write(text);
  }

  /** Takes the next line matching, without a step: for drivers built on this one. */
  async take(match: (text: string) => boolean, what: string, timeoutMs: number): Promise<string> {
    const line = await this.output.take((l) => match(l.text), {
      what,
      timeoutMs,
      timedOut: ({ arrived }) =>
        new ScenarioError(
          'SCENARIO_TIMEOUT',
          `${this.name}'s ${this.argv[0] ?? 'program'} waited ${timeoutMs / 1000} s for ${what}; ` +
            listArrived(arrived.map((l) => shorten(l.text))),
          what,
        ),
      ended: async () => {
        // Its output has ended: wait for its exit, so that the exit code and stderr say why.
        const { exitCode, stderr } = await this.#exited;
        const tail = stderr.trim().split('\n').slice(-2).join(' | ');
        const why = `exit code ${String(exitCode)}${tail === '' ? '' : `: ${tail}`}`;
        return new ScenarioError(
          'SCENARIO_CLIENT_ENDED',
          `${this.name}'s ${this.argv[0] ?? 'program'} ended (${why}) before ${what}`,
          what,
        );
      },
    });
    return line.text;
  }

  /**
   * Closes its stdin and waits up to `timeoutMs` for it to exit; then stops it inside the container (TERM,
   * then KILL), since ending `docker exec` alone would leave it running there.
   */
  async close(timeoutMs = 5_000): Promise<void> {
    this.process.stdin.end();
    for (const signal of ['TERM', 'KILL']) {
      if ((await this.#exitWithin(timeoutMs)) || this.#pid === undefined) break;
      await this.shell.exec(['kill', `-${signal}`, this.#pid]).catch(() => undefined);
      timeoutMs = 2_000;
    }
    if (!(await this.#exitWithin(1_000))) this.process.kill();
    await this.#exited;
  }

  async #exitWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>(
      (resolve) =>
        (timer = setTimeout(() => {
          resolve(false);
        }, ms)),
    );
    const exited = await Promise.race([this.#exited.then(() => true), late]);
    clearTimeout(timer);
    return exited;
  }

  async #take(pattern: LinePattern, timeoutMs: number): Promise<{ text: string }> {
    const text = await this.take((t) => matchesLine(t, pattern), describePattern(pattern), timeoutMs);
    return { text };
  }
}

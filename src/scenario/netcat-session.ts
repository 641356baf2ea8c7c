import { describeEvent, matchesEvent, shorten, type EventMatch } from './event-match.js';
import type { EventSource } from './event-source.js';
import { ProgramSession } from './program-session.js';
import type { ContainerShell } from './container-shell.js';
import { ScenarioError } from './scenario-error.js';
import type { StepLog } from './step-log.js';

/** An event line `* EVENT {json}` as nc printed it: its name and data, or null for any other line. */
function parseEvent(text: string): { event: string; data: Record<string, unknown> } | null {
  const event = /^\* ([A-Z_]+)(?: (.*))?$/.exec(text);
  if (event?.[1] === undefined) return null;
  try {
    return {
      event: event[1],
      data: event[2] === undefined ? {} : (JSON.parse(event[2]) as Record<string, unknown>),
    };
  } catch {
    return { event: event[1], data: {} };
  }
}

const isEvent = (text: string, event: string, match: EventMatch): boolean => {
  const parsed = parseEvent(text);
  return parsed !== null && parsed.event === event && matchesEvent(parsed.data, match);
};

/** A reply line `<tag> <code> <reason>[ <json>]` (docs/PROTOCOL.md §1). */
const REPLY = /^(-|\d{1,9}) (\d{3}) /;

/**
 * A session typed by hand through `nc -C <server> <port>` in a client container: the protocol as a person
 * sees it, each line written and each reply printed as the raw text the server sent.
 */
export class NetcatSession implements EventSource {
  private constructor(
    private readonly program: ProgramSession,
    private readonly log: StepLog,
  ) {}

  /** Opens `nc -C <ip> <port>` in the host's container and waits for the server's greeting (one step). */
  static async open(shell: ContainerShell, log: StepLog, ip: string, port: number): Promise<NetcatSession> {
    const program = await ProgramSession.start(shell, log, ['nc', '-C', ip, String(port)], {
      ready: /^\* HELLO /,
    });
    return new NetcatSession(program, log);
  }

  get name(): string {
    return this.program.name;
  }

  get isOpen(): boolean {
    return this.program.isOpen;
  }

  /** Every line the server sent, as nc printed it. */
  get lines(): readonly string[] {
    return this.program.lines.filter((line) => line.stream === 'stdout').map((line) => line.text);
  }

  /**
   * Types one protocol line and waits for the reply with the same tag (`-` for an untagged line); the
   * reply's code must be `expect` (default: any 2xx). Resolves with the reply line as the server sent it.
   */
  async type(line: string, options: { expect?: number; timeoutMs?: number } = {}): Promise<string> {
    const tag = /^(\d{1,9}) /.exec(line)?.[1] ?? '-';
    const expected = options.expect === undefined ? 'a 2xx reply' : `a ${options.expect} reply`;
    return this.log.run(this.name, `nc> ${line}`, expected, async () => {
      this.program.write(`${line}\n`);
      const reply = await this.program.take(
        (text) => REPLY.exec(text)?.[1] === tag,
        `the reply tagged ${tag} to "${line.slice(0, 40)}"`,
        options.timeoutMs ?? 10_000,
      );
      const code = Number(REPLY.exec(reply)?.[2]);
      const ok = options.expect === undefined ? code >= 200 && code < 300 : code === options.expect;
      if (!ok) {
        throw new ScenarioError('SCENARIO_UNEXPECTED_REPLY', `the server answered ${reply}`, expected);
      }
      return { value: reply, result: shorten(reply) };
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
      const line = await this.program.take(
        (text) => isEvent(text, event, match),
        what,
        options.timeoutMs ?? 10_000,
      );
      return { value: line, result: shorten(line) };
    });
  }

  async awaitEvent(event: string, match: EventMatch, timeoutMs: number): Promise<Record<string, unknown>> {
    const what = describeEvent(event, match);
    const line = await this.program.take((text) => isEvent(text, event, match), what, timeoutMs);
    return parseEvent(line)?.data ?? {};
  }

  hasReceived(event: string, match: EventMatch): boolean {
    return this.program.lines.some((line) => isEvent(line.text, event, match));
  }

  /** Closes nc's input and waits for it to exit (the server closes after QUIT). */
  async close(timeoutMs = 5_000): Promise<void> {
    await this.program.close(Math.min(timeoutMs, 500));
  }
}

import { ClientError } from '../client/connection/client-error.js';
import type { ScriptLine } from '../client/script/script-client.js';
import { scriptClientCommand, ScriptProcess } from '../lab/index.js';
import { ContainerFiles, SCENARIO_DIR, type FileContent, type LocalFile } from './container-files.js';
import type { ContainerShell } from './container-shell.js';
import {
  describeEvent,
  listArrived,
  matchesEvent,
  summarizeEvent,
  type EventData,
  type EventMatch,
  type EventName,
  type FileView,
} from './event-match.js';
import type { EventSource } from './event-source.js';
import { checkOutcome, readOutcome, type DoOptions, type Outcome } from './outcome.js';
import { ScenarioError } from './scenario-error.js';
import type { StepLog } from './step-log.js';

/** A file as it arrived in a recipient's container, hashed there. */
export interface DownloadedFile {
  host: string;
  path: string;
  size: number;
  sha256: string;
}

const TRANSFER_TIMEOUT_MS = 120_000;

/**
 * One chat client in a client container, driven as `chatlab client --script` through `docker exec -i`:
 * every method is one numbered step of the run (`[ 3] alice  /join general  -> 200 OK`) that fails the run
 * when the outcome is not the expected one.
 */
export class ScenarioClient implements EventSource {
  readonly files: ContainerFiles;

  private constructor(
    readonly name: string,
    private readonly shell: ContainerShell,
    private readonly driver: ScriptProcess,
    private readonly log: StepLog,
  ) {
    this.files = new ContainerFiles(shell);
  }

  /**
   * Starts the script client in the host's container and waits until it is connected (one step): over TCP,
   * or over UDP (docs/PROTOCOL.md §10) when `transport` says so.
   */
  static async open(
    shell: ContainerShell,
    log: StepLog,
    server: string,
    transport: 'tcp' | 'udp' = 'tcp',
    /** Over UDP: seconds the client waits for a reply before calling the request lost. */
    replyTimeout = 5,
  ): Promise<ScenarioClient> {
    return log.run(
      shell.host,
      `connects to ${server}${transport === 'udp' ? ' over UDP' : ''}`,
      transport === 'udp' ? 'the HELLO greeting in a datagram' : 'a TCP connection and the HELLO greeting',
      async () => {
        const argv = scriptClientCommand(server, {
          transport,
          replyTimeout,
          downloads: `${SCENARIO_DIR}/downloads`,
        });
        const driver = new ScriptProcess(shell.host, shell.spawn(argv));
        const client = new ScenarioClient(shell.host, shell, driver, log);
        const connect = await driver
          .next((line) => line.type === 'local' || line.type === 'error', {
            timeoutMs: 15_000,
            what: `${shell.host}'s connection to ${server}`,
          })
          .catch((error: unknown) => client.#explain(error, `the connection to ${server}`));
        if (connect.type !== 'local' || !connect.ok) {
          const message = 'message' in connect ? connect.message : JSON.stringify(connect);
          await client.close();
          throw new ScenarioError('SCENARIO_CLIENT_ENDED', `${shell.host} could not connect: ${message}`);
        }
        return { value: client, result: connect.message };
      },
    );
  }

  get isOpen(): boolean {
    return this.driver.isOpen;
  }

  /**
   * Types one line (a slash command, or text for the current room) and resolves with what completed it.
   * Unless `expect` says otherwise the reply must be a success (2xx, or a local command that worked).
   * `/raw <line>` sends the line as typed and waits for the server's reply to it.
   */
  async do(line: string, options: DoOptions = {}): Promise<Outcome> {
    const raw = /^\/raw (.*)$/s.exec(line)?.[1];
    const expected = describeExpectation(options);
    return this.log.run(this.name, line, expected, async () => {
      const timeoutMs = options.timeoutMs ?? (/^\/(send|get) /.test(line) ? TRANSFER_TIMEOUT_MS : 10_000);
      const done = await this.#command(line, timeoutMs, `the outcome of "${line.slice(0, 60)}"`);
      if (/^\/quit\b/.test(line) && done.type === 'local' && done.ok) await this.driver.ending(5_000);
      const sent = raw !== undefined && done.type === 'local' && done.ok;
      const outcome = sent ? await this.#rawReply(raw) : done;
      return checkOutcome(this.name, line, readOutcome(outcome), options, expected);
    });
  }

  /** Waits for an event this client has not yet seen in an earlier wait: `waitFor('MSG', { from: 'bob' })`. */
  async waitFor<E extends EventName>(
    event: E,
    match: EventMatch = {},
    options: { timeoutMs?: number } = {},
  ): Promise<EventData[E]> {
    const what = describeEvent(event, match);
    return this.log.run(this.name, `waits for ${what}`, what, async () => {
      const data = await this.awaitEvent(event, match, options.timeoutMs ?? 10_000);
      return { value: data as unknown as EventData[E], result: `got ${summarizeEvent(event, data)}` };
    });
  }

  /** Checks, after `graceMs`, that no such event reached this client. */
  async never(event: EventName, match: EventMatch = {}, graceMs = 300): Promise<void> {
    const what = describeEvent(event, match);
    await this.log.run(this.name, `must not receive ${what}`, `no ${what}`, async () => {
      await new Promise((resolve) => setTimeout(resolve, graceMs));
      if (this.hasReceived(event, match)) {
        throw new ScenarioError('SCENARIO_UNWANTED_DELIVERY', `${this.name} received ${what}`, `no ${what}`);
      }
      return { value: undefined, result: `nothing of the kind in ${graceMs} ms` };
    });
  }

  /** Writes a file in this client's container (SCENARIO_DIR/<name>) and hashes it there. */
  async createFile(name: string, content: FileContent): Promise<LocalFile> {
    return this.log.run(this.name, `creates ${SCENARIO_DIR}/${name}`, 'the file written', async () => {
      const file = await this.files.create(name, content);
      return { value: file, result: `${file.size} bytes, SHA-256 ${file.sha256.slice(0, 16)}...` };
    });
  }

  /** Sends a file made with `createFile` to `#room` or `@user`; resolves with the file as the server stored it. */
  async send(target: string, file: LocalFile, options: DoOptions = {}): Promise<FileView> {
    const outcome = await this.do(`/send ${target} ${file.path}`, options);
    return outcome.body.file as FileView;
  }

  /**
   * Downloads a file offered to this client (`/get`), then hashes what was saved inside this container: its
   * SHA-256 must equal `expected`'s (the sender's file), or the server's when no file is given.
   */
  async download(file: FileView, expected?: LocalFile): Promise<DownloadedFile> {
    const path = this.files.downloadPath(file.id, file.name);
    const want = expected?.sha256 ?? file.sha256;
    const whose = expected === undefined ? 'the server' : `${expected.host}'s ${expected.name}`;
    const line = `/get ${file.id} ${path}`;
    return this.log.run(this.name, line, `SHA-256 ${want} (${whose})`, async () => {
      const done = await this.#command(line, TRANSFER_TIMEOUT_MS, `the download of file ${file.id}`);
      checkOutcome(this.name, line, readOutcome(done), {}, 'the file saved');
      const { size, sha256 } = await this.files.hash(path);
      if (sha256 !== want) {
        throw new ScenarioError(
          'SCENARIO_FILE_MISMATCH',
          `${path} in ${this.name}'s container has SHA-256 ${sha256} (${size} bytes), not ${want} as ${whose}`,
          `SHA-256 ${want}`,
        );
      }
      const result = `${size} bytes, SHA-256 in ${this.name}'s container = ${whose}'s (${sha256.slice(0, 16)}...)`;
      return { value: { host: this.name, path, size, sha256 }, result };
    });
  }

  // --- EventSource ---

  async awaitEvent(event: string, match: EventMatch, timeoutMs: number): Promise<Record<string, unknown>> {
    const since = this.driver.lines.length;
    const what = describeEvent(event, match);
    const line = await this.driver
      .next((l) => l.type === 'event' && l.event === event && matchesEvent(l.data, match), {
        timeoutMs,
        what,
      })
      .catch((error: unknown) => {
        if (error instanceof ClientError && error.code === 'CLIENT_TIMEOUT') {
          const arrived = this.driver.lines
            .filter((l, i) => l.type === 'event' && (i >= since || l.event === event))
            .map((l) => (l.type === 'event' ? summarizeEvent(l.event, l.data) : ''));
          throw new ScenarioError(
            'SCENARIO_TIMEOUT',
            `${this.name} waited ${timeoutMs / 1000} s for ${what}; ${listArrived(arrived)}`,
            what,
          );
        }
        return this.#explain(error, what);
      });
    return line.type === 'event' ? line.data : {};
  }

  hasReceived(event: string, match: EventMatch): boolean {
    return this.driver.lines.some(
      (l) => l.type === 'event' && l.event === event && matchesEvent(l.data, match),
    );
  }

  /** Every line the client printed, in order (for checks a script writes itself). */
  get lines(): readonly ScriptLine[] {
    return this.driver.lines;
  }

  /** Ends the client if it is still running: closes its input (it sends QUIT) and waits for it to exit. */
  async close(timeoutMs = 5_000): Promise<void> {
    await this.driver.close(timeoutMs);
  }

  // --- internals ---

  /** Types a line and resolves with the line that completes it; a client that has ended is not written to. */
  async #command(line: string, timeoutMs: number, what: string): Promise<ScriptLine> {
    if (!this.driver.isOpen)
      return this.#explain(new ClientError('CLIENT_CLOSED', 'the client has ended'), what);
    return this.driver
      .command(line, { timeoutMs, what })
      .catch((error: unknown) => this.#explain(error, what));
  }

  /** The untagged (or hand-tagged) reply to a `/raw` line: the first reply no command claimed. */
  async #rawReply(raw: string): Promise<ScriptLine> {
    const tag = /^(\d{1,9}) /.exec(raw)?.[1];
    const what = `the server's reply to the raw line "${raw.slice(0, 40)}"`;
    return this.driver
      .next(
        (l) =>
          l.type === 'reply' &&
          l.line === undefined &&
          l.verb === undefined &&
          (l.tag === null || (tag !== undefined && l.tag === Number(tag))),
        { timeoutMs: 10_000, what },
      )
      .catch((error: unknown) => this.#explain(error, what));
  }

  /** Turns a driver error into a ScenarioError that says what was awaited and how the client ended. */
  async #explain(error: unknown, what: string): Promise<never> {
    if (error instanceof ClientError && error.code === 'CLIENT_CLOSED') {
      const exit = await this.driver.exited; // it has ended: its exit code and the rest of its stderr are there
      const stderr = this.driver.stderr.trim().split('\n').slice(-3).join(' | ');
      const why = `exit code ${String(exit.exitCode)}${stderr === '' ? '' : `: ${stderr}`}`;
      throw new ScenarioError(
        'SCENARIO_CLIENT_ENDED',
        `${this.name}'s client ended (${why}) before ${what}`,
        what,
      );
    }
    if (error instanceof ClientError && error.code === 'CLIENT_TIMEOUT') {
      throw new ScenarioError('SCENARIO_TIMEOUT', `${this.name}: ${error.message}`, what);
    }
    throw error;
  }
}

function describeExpectation(options: DoOptions): string {
  const lost = options.mayBeLost === true ? ', or no reply (lost on the link)' : '';
  if (options.expect === undefined) return `a success (2xx)${lost}`;
  const wanted =
    typeof options.expect === 'number' ? `a ${options.expect} reply` : `a ${options.expect} refusal`;
  return `${wanted}${lost}`;
}

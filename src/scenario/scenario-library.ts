import {
  connectEngine,
  describeImpairment,
  type Impairment,
  parseImpairment,
  type RunningHost,
  setImpairment,
  type StartedLab,
} from '../lab/index.js';
import type { ImpairmentChange } from '../report/index.js';
import { ContainerFiles, type FileContent, type LocalFile } from './container-files.js';
import { ContainerShell } from './container-shell.js';
import { describeEvent, type EventMatch, type EventName } from './event-match.js';
import type { EventSource } from './event-source.js';
import { NetcatSession } from './netcat-session.js';
import { ProgramSession, type ProgramOptions } from './program-session.js';
import { ScenarioClient } from './scenario-client.js';
import { ScenarioError } from './scenario-error.js';
import type { StepLog } from './step-log.js';

/** What the runner hands the scenario library for one run. */
export interface RunContext {
  scenario: string;
  lab: StartedLab;
  log: StepLog;
}

type Session = ScenarioClient | NetcatSession | ProgramSession;

/**
 * The scenario library as a script sees it (its `lab`, current-library.ts): `await lab.client('alice')` opens a
 * chat client in alice's container, `lab.delivered(...)` checks that an event reached exactly the right
 * people. The runner binds it to a started lab for the length of one run.
 */
export class ScenarioLibrary {
  #run: RunContext | undefined;
  #sessions: Session[] = [];
  #prepared = new Set<string>();
  #impairments: ImpairmentChange[] = [];

  /** Used by the runner: the run the next script's steps belong to. */
  bind(run: RunContext): void {
    this.#run = run;
    this.#sessions = [];
    this.#prepared = new Set();
    // What the lab declares (lab file, --impair) holds from the start: recorded as step 0.
    this.#impairments = Object.entries(run.lab.topology.impairments).map(([host, impairment]) => ({
      step: 0,
      host,
      impairment,
      text: describeImpairment(impairment),
    }));
  }

  /** Used by the runner: closes what the script left open, puts back the links it changed, and unbinds. */
  async release(): Promise<void> {
    const sessions = this.#sessions.filter((session) => session.isOpen || session instanceof ProgramSession);
    await Promise.all(sessions.map((session) => session.close().catch(() => undefined)));
    const run = this.#run;
    const impaired = new Set(this.#impairments.filter((c) => c.step > 0).map((change) => change.host));
    if (run !== undefined && impaired.size > 0) {
      const docker = await connectEngine();
      for (const host of impaired)
        await setImpairment(
          docker,
          run.lab.topology.project,
          host,
          run.lab.topology.impairments[host] ?? null,
        ).catch(() => undefined);
    }
    this.#sessions = [];
    this.#run = undefined;
  }

  /** Every change of a link this run made, in order (the runner writes them to run.json). */
  get impairments(): readonly ImpairmentChange[] {
    return this.#impairments;
  }

  /**
   * Impairs the link to `host` from now on (one step): `'loss=10%'`, `'delay=50ms,jitter=10ms'`, ... (docs/LAB.md
   * "Impairment"); a packet is lost or delayed between its sender's capture and its receiver's.
   */
  async impair(host: string, spec: string): Promise<void> {
    await this.#changeLink(host, parseImpairment(spec));
  }

  /** Gives `host` a perfect link again (one step). */
  async clearImpairment(host: string): Promise<void> {
    await this.#changeLink(host, null);
  }

  async #changeLink(host: string, impairment: Impairment | null): Promise<void> {
    const { lab, log } = this.#current;
    const text = describeImpairment(impairment);
    const step = log.next;
    await log.run(
      host,
      impairment === null ? 'link: perfect again' : `link: ${text}`,
      'the link changed',
      async () => {
        await setImpairment(await connectEngine(), lab.topology.project, lab.host(host).name, impairment);
        this.#impairments.push({ step, host, impairment, text });
        return { value: undefined, result: 'ok' };
      },
    );
  }

  get #current(): RunContext {
    if (this.#run === undefined) {
      throw new ScenarioError(
        'SCENARIO_NO_RUN',
        'No scenario run is active: scenario scripts are run by `npm run scenario -- <name or path>`.',
      );
    }
    return this.#run;
  }

  /** The scenario's name (the script's file name). */
  get scenario(): string {
    return this.#current.scenario;
  }

  /** The server's address on the lab network. */
  get server(): { ip: string; port: number } {
    const lab = this.#current.lab;
    return { ip: lab.host(lab.topology.server.name).ip, port: lab.topology.port };
  }

  /** The client hosts' names in the lab's order: a scenario that uses these runs in a student's variant too. */
  get clientNames(): string[] {
    return this.#current.lab.topology.clients.map((client) => client.name);
  }

  /** A host of the lab with its IP and MAC. */
  host(name: string): RunningHost {
    return this.#current.lab.host(name);
  }

  /**
   * Opens the chat client in a client host's container, connected to the server (one step), over the lab's
   * transport (its lab file's `app.transport`) or the one given: chatlab's server answers on both. Over UDP,
   * `replyTimeout` (seconds, default 5) is how long the client waits before it calls a request lost.
   */
  async client(
    name: string,
    options: { transport?: 'tcp' | 'udp'; replyTimeout?: number } = {},
  ): Promise<ScenarioClient> {
    const { lab, log } = this.#current;
    const shell = await this.#shell(name);
    const transport = options.transport ?? lab.topology.app.transport;
    const client = await ScenarioClient.open(shell, log, lab.serverAddress, transport, options.replyTimeout);
    this.#sessions.push(client);
    return client;
  }

  /** Opens several clients, one after the other. */
  async clients(...names: string[]): Promise<ScenarioClient[]> {
    const opened: ScenarioClient[] = [];
    for (const name of names) opened.push(await this.client(name));
    return opened;
  }

  /** Opens `nc -C <server> <port>` in a client host's container, to type the protocol by hand (one step). */
  async netcat(name: string): Promise<NetcatSession> {
    const { log } = this.#current;
    const shell = await this.#shell(name);
    const { ip, port } = this.server;
    const session = await NetcatSession.open(shell, log, ip, port);
    this.#sessions.push(session);
    return session;
  }

  /**
   * Starts any program in a host's container with its stdin attached (one step): a student's client, an IRC
   * client, a shell loop. Type lines into it and wait for its output with the session's `type` and `expect`.
   * The runner stops it at the end of the run if the script has not closed it.
   */
  async program(
    host: string,
    argv: readonly string[],
    options: ProgramOptions = {},
  ): Promise<ProgramSession> {
    const { log } = this.#current;
    const session = await ProgramSession.start(await this.#shell(host, 'any'), log, argv, options);
    this.#sessions.push(session);
    return session;
  }

  /** Runs a command in a host's container to its end (one step); resolves with its standard output. */
  async run(host: string, argv: readonly string[], options: { timeoutMs?: number } = {}): Promise<string> {
    const { log } = this.#current;
    const shell = await this.#shell(host, 'any');
    return log.run(host, `$ ${argv.join(' ')}`, 'exit code 0', async () => {
      const stdout = await shell.exec(argv, undefined, options.timeoutMs ?? 60_000);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      return { value: stdout, result: last === '' ? 'exit 0' : `exit 0: ${last.slice(0, 100)}` };
    });
  }

  /** Writes a file into a host's scenario folder (one step), checked by its SHA-256 there. */
  async file(host: string, name: string, content: FileContent): Promise<LocalFile> {
    const { log } = this.#current;
    const files = new ContainerFiles(await this.#shell(host, 'any'));
    return log.run(host, `writes ${name}`, 'the file in place', async () => {
      const file = await files.create(name, content);
      return {
        value: file,
        result: `${file.path}, ${file.size} bytes, SHA-256 ${file.sha256.slice(0, 16)}...`,
      };
    });
  }

  /** Checks that a file in a host's container has the SHA-256 of `expected` (one step). */
  async sameFile(host: string, path: string, expected: LocalFile): Promise<void> {
    const { log } = this.#current;
    const files = new ContainerFiles(await this.#shell(host, 'any'));
    const want = `SHA-256 ${expected.sha256} (${expected.host}'s ${expected.name})`;
    await log.run(host, `checks ${path}`, want, async () => {
      const { size, sha256 } = await files.hash(path);
      if (sha256 !== expected.sha256) {
        throw new ScenarioError(
          'SCENARIO_FILE_MISMATCH',
          `${path} in ${host}'s container has SHA-256 ${sha256} (${size} bytes), not ${expected.sha256}`,
          want,
        );
      }
      return { value: undefined, result: `${size} bytes, the same SHA-256 as ${expected.host}'s` };
    });
  }

  /**
   * Checks that an event reached exactly `to`: each of them receives it (within `timeoutMs`), and no other
   * open session has received it after a further `graceMs` (the sender included).
   */
  async delivered(
    event: EventName,
    match: EventMatch,
    to: readonly EventSource[],
    options: { timeoutMs?: number; graceMs?: number } = {},
  ): Promise<void> {
    const { log } = this.#current;
    const what = describeEvent(event, match);
    const others = this.#sessions.filter(
      (session): session is ScenarioClient | NetcatSession =>
        !(session instanceof ProgramSession) && session.isOpen && !to.includes(session),
    );
    const names = (list: readonly EventSource[]): string => list.map((s) => s.name).join(', ') || 'nobody';
    const expected = `${what} at ${names(to)} only`;
    await log.run(to.map((s) => s.name).join(',') || '-', `receive ${what}`, expected, async () => {
      await Promise.all(to.map((source) => source.awaitEvent(event, match, options.timeoutMs ?? 10_000)));
      const graceMs = options.graceMs ?? 300;
      await new Promise((resolve) => setTimeout(resolve, graceMs));
      const wrong = others.filter((source) => source.hasReceived(event, match));
      if (wrong.length > 0) {
        throw new ScenarioError(
          'SCENARIO_UNWANTED_DELIVERY',
          `${names(wrong)} received ${what} too, but only ${names(to)} should have`,
          expected,
        );
      }
      const result = `${names(to)} got it; ${others.length === 0 ? 'nobody else is connected' : `not ${names(others)}`}`;
      return { value: undefined, result };
    });
  }

  /** A step of the script's own: printed and recorded like the others; it fails the run if `body` throws. */
  async step<T>(actor: string, action: string, body: () => Promise<T> | T): Promise<T> {
    return this.#current.log.run(actor, action, action, async () => {
      const value = await body();
      return { value, result: 'ok' };
    });
  }

  /** Prints a line between steps, e.g. what the next part of the scenario shows. */
  note(text: string): void {
    this.#current.log.note(text);
  }

  /** A shell into the host's container; the first one of a run empties the host's scenario folder. */
  async #shell(name: string, role: 'client' | 'any' = 'client'): Promise<ContainerShell> {
    const host = this.#current.lab.host(name);
    if (role === 'client' && host.role !== 'client') {
      throw new ScenarioError('SCENARIO_NOT_A_CLIENT', `"${name}" is the ${host.role}, not a client host.`);
    }
    const shell = new ContainerShell(host.container.id, host.name);
    if (!this.#prepared.has(name)) {
      await new ContainerFiles(shell).reset();
      this.#prepared.add(name);
    }
    return shell;
  }
}

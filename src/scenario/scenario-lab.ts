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
import { ContainerFiles } from './container-files.js';
import { ContainerShell } from './container-shell.js';
import { describeEvent, type EventMatch, type EventName } from './event-match.js';
import type { EventSource } from './event-source.js';
import { NetcatSession } from './netcat-session.js';
import { ScenarioClient } from './scenario-client.js';
import { ScenarioError } from './scenario-error.js';
import type { StepLog } from './step-log.js';

/** What the runner hands the scenario library for one run. */
export interface RunContext {
  scenario: string;
  lab: StartedLab;
  log: StepLog;
}

type Session = ScenarioClient | NetcatSession;

/**
 * The lab as a scenario script sees it: `await lab.client('alice')` opens a chat client in alice's
 * container, `lab.delivered(...)` checks that an event reached exactly the right people. The runner binds it
 * to a started lab for the length of one run.
 */
export class ScenarioLab {
  #run: RunContext | undefined;
  #sessions: Session[] = [];
  #prepared = new Set<string>();
  #impairments: ImpairmentChange[] = [];

  /** Used by the runner: the run the next script's steps belong to. */
  bind(run: RunContext): void {
    this.#run = run;
    this.#sessions = [];
    this.#prepared = new Set();
    this.#impairments = [];
  }

  /** Used by the runner: closes what the script left open, clears the links it impaired, and unbinds. */
  async release(): Promise<void> {
    const sessions = this.#sessions.filter((session) => session.isOpen);
    await Promise.all(sessions.map((session) => session.close().catch(() => undefined)));
    const run = this.#run;
    const impaired = new Set(this.#impairments.map((change) => change.host));
    if (run !== undefined && impaired.size > 0) {
      const docker = await connectEngine();
      for (const host of impaired)
        await setImpairment(docker, run.lab.topology.project, host, null).catch(() => undefined);
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

  /** A host of the lab with its IP and MAC. */
  host(name: string): RunningHost {
    return this.#current.lab.host(name);
  }

  /** Opens the chat client in a client host's container, connected to the server (one step). */
  async client(name: string): Promise<ScenarioClient> {
    const { lab, log } = this.#current;
    const shell = await this.#shell(name);
    const client = await ScenarioClient.open(shell, log, lab.serverAddress);
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
    const others = this.#sessions.filter((session) => session.isOpen && !to.includes(session));
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
  async #shell(name: string): Promise<ContainerShell> {
    const host = this.#current.lab.host(name);
    if (host.role !== 'client') {
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

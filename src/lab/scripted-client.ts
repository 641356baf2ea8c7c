import type Docker from 'dockerode';
import { PassThrough, type Duplex } from 'node:stream';
import { Arrivals } from '../util/arrivals.js';
import { LabError } from './lab-error.js';

/** One line the scriptable client printed: a JSON object such as `{"type":"event","event":"MSG",...}`. */
export type ClientOutput = Record<string, unknown>;

/**
 * The chat client's scriptable mode (`chatlab client --script`) running in a client container through
 * `docker exec`: lines go to its stdin, and every JSON line it prints is collected for `waitFor`.
 */
export class ScriptedClient {
  readonly #output = new Arrivals<ClientOutput>();
  readonly stderr: string[] = [];
  readonly #ended: Promise<void>;

  private constructor(
    private readonly exec: Docker.Exec,
    private readonly stream: Duplex,
    readonly host: string,
  ) {
    this.#ended = new Promise((resolve) => {
      stream.on('end', () => {
        this.#output.end(new Error(`${host}'s client ended`));
        resolve();
      });
    });
  }

  /** Every JSON line the client printed, in order. */
  get received(): readonly ClientOutput[] {
    return this.#output.all;
  }

  /** Starts the client in `containerId`, connected to `server` (ip:port). */
  static async open(
    docker: Docker,
    containerId: string,
    host: string,
    server: string,
  ): Promise<ScriptedClient> {
    const exec = await docker.getContainer(containerId).exec({
      Cmd: ['node', '/app/chatlab.mjs', 'client', '--server', server, '--script'],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
    const stream = await exec.start({ hijack: true, stdin: true });
    const client = new ScriptedClient(exec, stream, host);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    docker.modem.demuxStream(stream, stdout, stderr);
    readLines(stdout, (line) => {
      try {
        client.#output.push(JSON.parse(line) as ClientOutput);
      } catch {
        client.#output.push({ type: 'text', text: line });
      }
    });
    readLines(stderr, (line) => client.stderr.push(line));
    return client;
  }

  /** Types one line, as a person would: a slash command or a message to the current room. */
  send(line: string): void {
    this.stream.write(`${line}\n`);
  }

  /** Resolves with the first output (already received or still to come) that `matches` (src/util/arrivals.ts). */
  waitFor(
    what: string,
    matches: (output: ClientOutput) => boolean,
    timeoutMs = 10_000,
  ): Promise<ClientOutput> {
    return this.#output.first(matches, {
      what,
      timeoutMs,
      timedOut: () =>
        this.#failure(`Timed out after ${timeoutMs / 1000} s waiting for ${what} on ${this.host}`),
      ended: () => this.#failure(`${this.host}'s client exited before ${what}`),
    });
  }

  #failure(message: string): LabError {
    const seen = this.received.map((output) => JSON.stringify(output)).join('\n');
    return new LabError('LAB_TIMEOUT', `${message}.`, '', `${seen}\n${this.stderr.join('\n')}`);
  }

  /** Sends `/quit`, closes stdin and returns the client's exit code. */
  async close(timeoutMs = 5_000): Promise<number> {
    if (!this.#output.hasEnded) {
      this.send('/quit');
      this.stream.end();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([this.#ended, late]);
      clearTimeout(timer);
      this.stream.destroy();
    }
    const info = await this.exec.inspect();
    return info.ExitCode ?? -1;
  }
}

/** Calls `onLine` for each non-blank line of a text stream. */
function readLines(source: PassThrough, onLine: (line: string) => void): void {
  let pending = '';
  source.setEncoding('utf8');
  source.on('data', (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line !== '') onLine(line);
    }
  });
}

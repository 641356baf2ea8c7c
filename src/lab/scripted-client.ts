import type Docker from 'dockerode';
import { PassThrough, type Duplex } from 'node:stream';
import { LabError } from './lab-error.js';

/** One line the scriptable client printed: a JSON object such as `{"type":"event","event":"MSG",...}`. */
export type ClientOutput = Record<string, unknown>;

/**
 * The chat client's scriptable mode (`chatlab client --script`) running in a client container through
 * `docker exec`: lines go to its stdin, and every JSON line it prints is collected for `waitFor`.
 */
export class ScriptedClient {
  readonly received: ClientOutput[] = [];
  readonly stderr: string[] = [];
  #waiters = new Set<() => void>();
  #ended = false;

  private constructor(
    private readonly exec: Docker.Exec,
    private readonly stream: Duplex,
    readonly host: string,
  ) {}

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
    client.#readLines(stdout, (line) => {
      try {
        client.received.push(JSON.parse(line) as ClientOutput);
      } catch {
        client.received.push({ type: 'text', text: line });
      }
    });
    client.#readLines(stderr, (line) => client.stderr.push(line));
    stream.on('end', () => {
      client.#ended = true;
      client.#wake();
    });
    return client;
  }

  #readLines(source: PassThrough, onLine: (line: string) => void): void {
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
      this.#wake();
    });
  }

  #wake(): void {
    for (const waiter of this.#waiters) waiter();
  }

  /** Types one line, as a person would: a slash command or a message to the current room. */
  send(line: string): void {
    this.stream.write(`${line}\n`);
  }

  /** Resolves with the first output (already received or still to come) that `matches`. */
  async waitFor(
    what: string,
    matches: (output: ClientOutput) => boolean,
    timeoutMs = 10_000,
  ): Promise<ClientOutput> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.received.find(matches);
        if (found !== undefined || this.#ended) {
          clearTimeout(timer);
          this.#waiters.delete(check);
          if (found !== undefined) resolve(found);
          else reject(this.#failure(`${this.host}'s client exited before ${what}`));
        }
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(this.#failure(`Timed out after ${timeoutMs / 1000} s waiting for ${what} on ${this.host}`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  #failure(message: string): LabError {
    const seen = this.received.map((output) => JSON.stringify(output)).join('\n');
    return new LabError('LAB_TIMEOUT', `${message}.`, '', `${seen}\n${this.stderr.join('\n')}`);
  }

  /** Sends `/quit`, closes stdin and returns the client's exit code. */
  async close(timeoutMs = 5_000): Promise<number> {
    if (!this.#ended) {
      this.send('/quit');
      this.stream.end();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          resolve();
        };
        if (this.#ended) done();
        else
          this.#waiters.add(() => {
            if (this.#ended) done();
          });
      });
      this.stream.destroy();
    }
    const info = await this.exec.inspect();
    return info.ExitCode ?? -1;
  }
}

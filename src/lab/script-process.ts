import { ScriptDriver } from '../client/script/script-driver.js';
import type { ProcessExit, RunningProcess } from '../util/process.js';

export interface ScriptCommandOptions {
  /** 'udp': the client talks to the server in datagrams (docs/PROTOCOL.md §10); TCP otherwise. */
  transport?: 'tcp' | 'udp';
  /** Over UDP: seconds the client waits for a reply before calling the request lost. */
  replyTimeout?: number;
  /** Where `/get` saves files that are given no path. */
  downloads?: string;
}

/** The command a client container runs for `chatlab client --script`, connected to `server` (ip:port). */
export function scriptClientCommand(server: string, options: ScriptCommandOptions = {}): string[] {
  const argv = ['node', '/app/chatlab.mjs', 'client', '--server', server, '--script'];
  if (options.transport === 'udp') {
    argv.push('--transport', 'udp', '--reply-timeout', String(options.replyTimeout ?? 5));
  }
  if (options.downloads !== undefined) argv.push('--downloads', options.downloads);
  return argv;
}

/**
 * The one driver of `chatlab client --script` running as a process (in a lab container through
 * `docker exec -i`, or on this machine in tests): the ScriptDriver over its stdio (numbered commands, waits
 * for output lines), the last of its stderr, and `close()`.
 */
export class ScriptProcess extends ScriptDriver {
  #ended = false;
  #stderr = '';

  constructor(
    /** Whose client it is, for messages. */
    readonly name: string,
    private readonly process: RunningProcess,
  ) {
    super(process.stdin, process.stdout);
    void this.ended.then(() => (this.#ended = true));
    process.stdin.on('error', () => undefined); // EPIPE once it has exited: the wait reports that instead
    process.stderr.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-2000);
    });
  }

  /** False once its output has ended. */
  get isOpen(): boolean {
    return !this.#ended;
  }

  /** The last 2000 characters it printed on stderr. */
  get stderr(): string {
    return this.#stderr;
  }

  /** Resolves when it has exited (never rejects). */
  get exited(): Promise<ProcessExit> {
    return this.process.exited;
  }

  /** Waits up to `timeoutMs` for its output to end. */
  async ending(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([this.ended, late]);
    clearTimeout(timer);
    await Promise.resolve(); // the `ended` handler sets #ended
  }

  /** Ends the client if it is still running: closes its input (it sends QUIT) and waits for it to exit. */
  async close(timeoutMs = 5_000): Promise<void> {
    if (!this.#ended) {
      this.closeInput();
      await this.ending(timeoutMs);
    }
    if (!this.#ended) this.process.kill();
    await this.process.exited;
  }
}

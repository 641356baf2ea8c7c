import { ProcessError, runOrThrow, startProcess, type RunningProcess } from '../util/process.js';
import { ScenarioError } from './scenario-error.js';

/**
 * Commands in one lab container through `docker exec` (the Docker socket on this machine, never the lab
 * network), through the process gateway: a failed command reports its exit code and stderr.
 */
export class ContainerShell {
  constructor(
    /** The container's id (or name). */
    readonly container: string,
    /** The host's name, for messages. */
    readonly host: string,
  ) {}

  /** Runs `argv` in the container and returns its stdout; `input` goes to its stdin. */
  async exec(argv: readonly string[], input?: Buffer | string, timeoutMs = 60_000): Promise<string> {
    const flags = input === undefined ? [] : ['-i'];
    try {
      const result = await runOrThrow('docker', ['exec', ...flags, this.container, ...argv], {
        timeoutMs,
        ...(input === undefined ? {} : { input }),
      });
      return result.stdout;
    } catch (error) {
      throw this.#failure(argv, error);
    }
  }

  /** Runs a `sh -c` script in the container with positional arguments ($1, $2, ...). */
  sh(script: string, args: readonly string[] = [], input?: Buffer | string): Promise<string> {
    return this.exec(['sh', '-c', script, 'sh', ...args], input);
  }

  /** Starts a long-running command with its stdin open (`docker exec -i`); the caller reads its stdout. */
  spawn(argv: readonly string[]): RunningProcess {
    return startProcess('docker', ['exec', '-i', this.container, ...argv]);
  }

  #failure(argv: readonly string[], error: unknown): ScenarioError {
    const command = argv.join(' ');
    if (error instanceof ProcessError && error.code === 'PROCESS_FAILED') {
      const stderr = error.details.stderr.trim();
      return new ScenarioError(
        'SCENARIO_COMMAND_FAILED',
        `\`${command}\` in ${this.host}'s container exited with ${String(error.details.exitCode)}` +
          (stderr === '' ? '' : `: ${stderr}`),
        undefined,
        { cause: error },
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    return new ScenarioError(
      'SCENARIO_COMMAND_FAILED',
      `\`${command}\` in ${this.host}'s container: ${message}`,
      undefined,
      { cause: error },
    );
  }
}

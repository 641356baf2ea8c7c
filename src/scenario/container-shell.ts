import { $, ProcessOutput, type ProcessPromise } from 'zx';
import { ScenarioError } from './scenario-error.js';

/**
 * Commands in one lab container through `docker exec` (the Docker socket on this machine, never the lab
 * network), with zx: a failed command reports its exit code and stderr.
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
    const options = input === undefined ? {} : { input };
    const flags = input === undefined ? [] : ['-i'];
    try {
      const output = await $({ ...options, timeout: timeoutMs, quiet: true })`docker exec ${flags} ${
        this.container
      } ${argv}`;
      return output.stdout;
    } catch (error) {
      throw this.#failure(argv, error);
    }
  }

  /** Runs a `sh -c` script in the container with positional arguments ($1, $2, ...). */
  sh(script: string, args: readonly string[] = [], input?: Buffer | string): Promise<string> {
    return this.exec(['sh', '-c', script, 'sh', ...args], input);
  }

  /** Starts a long-running command with its stdin open (`docker exec -i`); the caller reads its stdout. */
  spawn(argv: readonly string[]): ProcessPromise {
    const process = $({ quiet: true })`docker exec -i ${this.container} ${argv}`.nothrow();
    return process;
  }

  #failure(argv: readonly string[], error: unknown): ScenarioError {
    const command = argv.join(' ');
    if (error instanceof ProcessOutput) {
      const stderr = error.stderr.trim();
      return new ScenarioError(
        'SCENARIO_COMMAND_FAILED',
        `\`${command}\` in ${this.host}'s container exited with ${String(error.exitCode)}` +
          (stderr === '' ? '' : `: ${stderr}`),
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    return new ScenarioError(
      'SCENARIO_COMMAND_FAILED',
      `\`${command}\` in ${this.host}'s container: ${message}`,
    );
  }
}

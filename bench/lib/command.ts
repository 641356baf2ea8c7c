import {
  run as runProcess,
  runOrThrow,
  startProcess,
  type ProcessResult,
  type RunOptions,
  type RunningProcess,
  type StartOptions,
} from '../../src/util/process.js';

export type CommandResult = ProcessResult;

/**
 * Runs a command to its end through the process gateway (src/util/process.ts); rejects with a ProcessError
 * on a non-zero exit (unless `allowFailure`) or after `timeoutMs` (default 120 s).
 */
export function run(
  command: string,
  args: readonly string[],
  options: RunOptions & { allowFailure?: boolean } = {},
): Promise<CommandResult> {
  const { allowFailure = false, timeoutMs = 120_000, ...rest } = options;
  return (allowFailure ? runProcess : runOrThrow)(command, args, { ...rest, timeoutMs });
}

const running = new Set<RunningProcess>();

/**
 * Starts a child through the gateway (its stdin, stdout and stderr piped unless `options` say otherwise),
 * remembered so that `killChildren` stops it if the benchmark is interrupted.
 */
export function start(command: string, args: readonly string[], options: StartOptions = {}): RunningProcess {
  const child = startProcess(command, args, options);
  running.add(child);
  void child.exited.then(() => running.delete(child));
  return child;
}

/** Kills the children this run started, by their own pids (never by name). */
export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

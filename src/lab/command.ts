// The lab's calls to the process gateway (src/util/process.ts), with its errors as the lab's: a program that
// is not installed is LAB_COMMAND_FAILED and one that runs out of time LAB_TIMEOUT, which the lab commands
// print with their message (docs/LAB.md).
import {
  ProcessError,
  run as runProcess,
  runInteractive as runProcessInteractive,
  type ProcessResult,
  type RunOptions,
} from '../util/process.js';
import { LabError } from './lab-error.js';

export { hasCommand, startDaemon } from '../util/process.js';
export type { ProcessResult as CommandResult, RunOptions as CommandOptions };

async function asLabError<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof ProcessError)) throw error;
    const code = error.code === 'PROCESS_TIMEOUT' ? 'LAB_TIMEOUT' : 'LAB_COMMAND_FAILED';
    throw new LabError(code, error.message, '', '', { cause: error });
  }
}

/** Runs a command and returns its output whatever its exit code (see the gateway's `run`). */
export function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  return asLabError(() => runProcess(file, args, options));
}

/** Runs a command that must succeed; on failure `failure` makes the LabError from its exit code and output. */
export async function runOrThrow(
  file: string,
  args: readonly string[],
  failure: (result: ProcessResult) => LabError,
  options: RunOptions = {},
): Promise<ProcessResult> {
  const result = await run(file, args, options);
  if (result.exitCode !== 0) throw failure(result);
  return result;
}

/** Runs a command on this terminal and resolves with its exit code (see the gateway's `runInteractive`). */
export function runInteractive(file: string, args: readonly string[]): Promise<number> {
  return asLabError(() => runProcessInteractive(file, args));
}

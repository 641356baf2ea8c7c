import { execa } from 'execa';
import { LabError } from './lab-error.js';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  input?: string;
  /** Print the command's output as it runs (long steps show progress). */
  stream?: boolean;
}

/** Runs a command and returns its output whatever its exit code; a missing program is a LabError. */
export async function run(
  file: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
  const result = await execa(file, args, {
    reject: false,
    all: false,
    env: { ...options.env },
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    stdout: options.stream === true ? ['pipe', 'inherit'] : 'pipe',
    stderr: options.stream === true ? ['pipe', 'inherit'] : 'pipe',
  });
  if (result.code === 'ENOENT') {
    throw new LabError('LAB_COMMAND_FAILED', `\`${file}\` is not installed (not found on PATH).`);
  }
  if (result.timedOut) {
    throw new LabError(
      'LAB_TIMEOUT',
      `\`${file} ${args.join(' ')}\` did not finish within ${Math.round((options.timeoutMs ?? 0) / 1000)} s.`,
    );
  }
  return { exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a command that must succeed; on failure the LabError carries its exit code and stderr. */
export async function runOrThrow(
  file: string,
  args: readonly string[],
  failure: (result: CommandResult) => LabError,
  options: CommandOptions = {},
): Promise<CommandResult> {
  const result = await run(file, args, options);
  if (result.exitCode !== 0) throw failure(result);
  return result;
}

/** Whether a program is on PATH. */
export async function hasCommand(name: string): Promise<boolean> {
  const result = await run('sh', ['-c', `command -v ${name}`]);
  return result.exitCode === 0;
}

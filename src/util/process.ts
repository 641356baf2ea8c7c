// The one gateway to local processes (with execa): every program chatlab, its scenarios and its benchmarks
// start on this machine goes through here. (Commands inside containers over the Docker API use dockerode.)
import { closeSync, openSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { execa, execaSync, type Result, type ResultPromise, type SyncResult } from 'execa';
import { ChatlabError } from '../chatlab-error.js';

/** `PROCESS_NOT_FOUND`: the program is not on PATH; `PROCESS_TIMEOUT`: it ran out of time; `PROCESS_FAILED`: it failed. */
export type ProcessErrorCode = 'PROCESS_NOT_FOUND' | 'PROCESS_TIMEOUT' | 'PROCESS_FAILED';

export interface ProcessFailure {
  /** The command line, shortened for messages. */
  readonly command: string;
  /** Its exit code, or null when it did not exit by itself (not started, killed by a signal). */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A process that could not start, ran out of time or failed; `cause` is execa's error. */
export class ProcessError extends ChatlabError<ProcessErrorCode, ProcessFailure> {
  override readonly name = 'ProcessError';
}

export interface ProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Variables added to this process's environment. */
export type ProcessEnv = Readonly<Record<string, string | undefined>>;

export interface RunOptions {
  env?: ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  /** What the command reads on stdin (otherwise it reads nothing). */
  input?: string | Buffer;
  /** Also print the command's output here as it runs (long steps show progress). */
  stream?: boolean;
}

/** The most output a command may print on stdout or stderr (tshark's PDML of a large capture). */
const MAX_OUTPUT = 1024 * 1024 * 1024;

const commandLine = (file: string, args: readonly string[]): string =>
  [file, ...args].join(' ').slice(0, 160);

function notFound(file: string, args: readonly string[], cause: unknown): ProcessError {
  const details = { command: commandLine(file, args), exitCode: null, stdout: '', stderr: '' };
  return new ProcessError('PROCESS_NOT_FOUND', `\`${file}\` is not installed (not found on PATH).`, details, {
    cause,
  });
}

/** The ProcessError of a run that could not start or ran out of time, if it did. */
function startOrTimeoutError(
  file: string,
  args: readonly string[],
  result: Result | SyncResult,
  timeoutMs: number | undefined,
): ProcessError | undefined {
  if (result.code === 'ENOENT') return notFound(file, args, result);
  if (!result.timedOut) return undefined;
  return new ProcessError(
    'PROCESS_TIMEOUT',
    `\`${file} ${args.join(' ')}\` did not finish within ${Math.round((timeoutMs ?? 0) / 1000)} s.`,
    {
      command: commandLine(file, args),
      exitCode: null,
      stdout: String(result.stdout),
      stderr: String(result.stderr),
    },
    { cause: result },
  );
}

function runOptions(options: RunOptions) {
  return {
    reject: false,
    env: { ...options.env },
    maxBuffer: MAX_OUTPUT,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  } as const;
}

/**
 * Runs a command and returns its output whatever its exit code; a program that is not installed or does
 * not finish within `timeoutMs` is a ProcessError (PROCESS_NOT_FOUND, PROCESS_TIMEOUT).
 */
export async function run(
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<ProcessResult> {
  const output = options.stream === true ? (['pipe', 'inherit'] as const) : ('pipe' as const);
  const result = await execa(file, args, { ...runOptions(options), stdout: output, stderr: output });
  const error = startOrTimeoutError(file, args, result, options.timeoutMs);
  if (error !== undefined) throw error;
  return { exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** `run`, for the few places that cannot wait (a figure read once, synchronously). */
export function runSync(file: string, args: readonly string[], options: RunOptions = {}): ProcessResult {
  const result = execaSync(file, args, { ...runOptions(options), stdout: 'pipe', stderr: 'pipe' });
  const error = startOrTimeoutError(file, args, result, options.timeoutMs);
  if (error !== undefined) throw error;
  return { exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs a command that must succeed: a non-zero exit is a ProcessError PROCESS_FAILED with its exit code,
 * stdout and stderr (the message ends with the last lines of its stderr, or else its stdout).
 */
export async function runOrThrow(
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<ProcessResult> {
  const result = await run(file, args, options);
  if (result.exitCode === 0) return result;
  const command = commandLine(file, args);
  const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join(' | ');
  throw new ProcessError(
    'PROCESS_FAILED',
    `\`${command}\` exited with ${result.exitCode}${tail === '' ? '' : `: ${tail}`}`,
    { command, ...result },
  );
}

/** Whether a program is on PATH. */
export async function hasCommand(name: string): Promise<boolean> {
  const result = await run('sh', ['-c', `command -v ${name}`]);
  return result.exitCode === 0;
}

/**
 * Runs a command on this terminal (its stdin, stdout and stderr are this process's: `docker exec -it`,
 * `docker compose logs --follow`) and resolves with its exit code.
 */
export async function runInteractive(file: string, args: readonly string[]): Promise<number> {
  const result = await execa(file, args, { stdio: 'inherit', reject: false });
  if (result.code === 'ENOENT') throw notFound(file, args, result);
  return result.exitCode ?? 1;
}

/**
 * Starts a long-running daemon (dockerd, docker-registry) detached from this process, so that it keeps
 * running after chatlab exits; its stdout and stderr are appended to `logFile` (or dropped).
 */
export function startDaemon(file: string, args: readonly string[], logFile?: string): void {
  // A file descriptor goes to the daemon as it is (execa's types take one only as a number literal).
  const log = logFile === undefined ? undefined : (openSync(logFile, 'a') as 3);
  try {
    const options = {
      detached: true,
      cleanup: false,
      reject: false,
      buffer: false,
      stdin: 'ignore',
    } as const;
    const daemon =
      log === undefined
        ? execa(file, args, { ...options, stdout: 'ignore', stderr: 'ignore' })
        : execa(file, args, { ...options, stdout: log, stderr: log });
    daemon.unref();
  } finally {
    if (log !== undefined) closeSync(log); // the daemon has its own copy
  }
}

/** How a started process ended: its exit code or the signal that ended it, or why it could not start. */
export interface ProcessExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when it could not start (PROCESS_NOT_FOUND, or PROCESS_FAILED with the reason). */
  error?: ProcessError;
}

type Stream = 'pipe' | 'ignore' | 'inherit';
type Subprocess = ResultPromise<{
  reject: false;
  buffer: false;
  stdin: 'pipe' | 'ignore';
  stdout: Stream;
  stderr: Stream;
}>;

export interface StartOptions {
  env?: ProcessEnv;
  cwd?: string;
  /** 'pipe' (the default): write to `stdin`, read `stdout` and `stderr` yourself. */
  stdin?: 'pipe' | 'ignore';
  stdout?: Stream;
  stderr?: Stream;
}

/**
 * A child process to drive: write lines to its stdin, read its stdout and stderr as they come, wait for
 * its exit, stop it. Started by `startProcess`.
 */
export class RunningProcess {
  /** Resolves when it has exited and its output has ended; never rejects. */
  readonly exited: Promise<ProcessExit>;
  #exit: ProcessExit | undefined;

  constructor(
    private readonly subprocess: Subprocess,
    file: string,
    args: readonly string[],
  ) {
    this.exited = subprocess.then((result) => {
      const exit: ProcessExit = { exitCode: result.exitCode ?? null, signal: result.signal ?? null };
      if (result.failed && exit.exitCode === null && exit.signal === null) {
        exit.error =
          result.code === 'ENOENT'
            ? notFound(file, args, result)
            : new ProcessError(
                'PROCESS_FAILED',
                `\`${commandLine(file, args)}\` could not start: ${result.shortMessage}`,
                { command: commandLine(file, args), exitCode: null, stdout: '', stderr: '' },
                { cause: result },
              );
      }
      this.#exit = exit;
      return exit;
    });
  }

  get pid(): number | undefined {
    return this.subprocess.pid;
  }

  /** Its exit code once it has exited by itself, else null. */
  get exitCode(): number | null {
    return this.#exit?.exitCode ?? this.subprocess.exitCode;
  }

  get hasExited(): boolean {
    return (
      this.#exit !== undefined || this.subprocess.exitCode !== null || this.subprocess.signalCode !== null
    );
  }

  get stdin(): Writable {
    return piped(this.subprocess.stdin, 'stdin');
  }

  get stdout(): Readable {
    return piped(this.subprocess.stdout, 'stdout');
  }

  get stderr(): Readable {
    return piped(this.subprocess.stderr, 'stderr');
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.subprocess.kill(signal);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  async stop(graceMs = 3000): Promise<ProcessExit> {
    if (this.hasExited) return this.exited;
    const timer = setTimeout(() => {
      this.kill('SIGKILL');
    }, graceMs);
    this.kill('SIGTERM');
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}

function piped<T>(stream: T | null, name: string): T {
  if (stream === null) throw new Error(`this process's ${name} is not piped (StartOptions.${name})`);
  return stream;
}

/** Starts a child process to drive (see RunningProcess); a program that is not installed ends at once. */
export function startProcess(
  file: string,
  args: readonly string[],
  options: StartOptions = {},
): RunningProcess {
  const subprocess = execa(file, args, {
    reject: false,
    buffer: false,
    env: { ...options.env },
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    stdin: options.stdin ?? 'pipe',
    stdout: options.stdout ?? 'pipe',
    stderr: options.stderr ?? 'pipe',
  });
  return new RunningProcess(subprocess, file, args);
}

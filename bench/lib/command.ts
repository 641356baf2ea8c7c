import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** A command that failed: its exit code and the end of its stderr, not a bare string. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(
      `${command} exited with ${exitCode ?? 'a signal'}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`,
    );
  }
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs a command to its end; rejects with a CommandError on a non-zero exit or after `timeoutMs`. */
export function run(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { timeoutMs?: number; input?: string; allowFailure?: boolean } = {},
): Promise<CommandResult> {
  const { timeoutMs = 120_000, input, allowFailure = false, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...spawnOptions, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const name = [command, ...args].join(' ').slice(0, 160);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new CommandError(name, null, `timed out after ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new CommandError(name, null, error.message));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const result = {
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: code ?? -1,
      };
      if (code === 0 || allowFailure) resolve(result);
      else reject(new CommandError(name, code, result.stderr || result.stdout));
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

const running = new Set<ChildProcess>();

/** Remembers a child so that `killChildren` stops it if the benchmark is interrupted. */
export function track<T extends ChildProcess>(child: T): T {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Kills the children this run started, by their own pids (never by name). */
export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
export function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

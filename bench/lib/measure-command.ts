import { readFileSync } from 'node:fs';
import { start } from './command.js';
import { parseProcStatus } from './proc-stats.js';

export interface CommandRun {
  wallMs: number;
  /** VmHWM read while it ran (sampled every 100 ms; a child's own peak if it reports one is better). */
  peakRssBytes: number;
  stdoutBytes: number;
  /** The last 64 KiB of stdout. */
  stdoutTail: string;
  exitCode: number;
}

/** Runs a command to its end, timing it and sampling its peak memory; stdout is counted, not kept. */
export function measureCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = start(command, args, { cwd: options.cwd, stdin: 'ignore' });
    let peak = 0;
    let bytes = 0;
    let tail = '';
    const stderr: string[] = [];
    const sample = (): void => {
      if (child.pid === undefined) return;
      try {
        peak = Math.max(
          peak,
          parseProcStatus(readFileSync(`/proc/${child.pid}/status`, 'utf8')).peakRssBytes || 0,
        );
      } catch {
        // exited between two samples
      }
    };
    const sampler = setInterval(sample, 100);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 600_000);
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      tail = (tail + chunk.toString('utf8')).slice(-65536);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 100) stderr.push(chunk.toString('utf8'));
    });
    void child.exited.then(({ exitCode: code, error }) => {
      clearInterval(sampler);
      clearTimeout(timer);
      if (error !== undefined) {
        reject(error);
        return;
      }
      const wallMs = performance.now() - started;
      if (code !== 0) {
        reject(
          new Error(
            `${command} ${args.join(' ').slice(0, 200)} exited with ${code ?? 'a signal'}: ${stderr.join('').slice(-600)}`,
          ),
        );
        return;
      }
      resolve({ wallMs, peakRssBytes: peak, stdoutBytes: bytes, stdoutTail: tail, exitCode: code });
    });
  });
}

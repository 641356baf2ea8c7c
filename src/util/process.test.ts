// The process gateway with small local programs (sh, node): output whatever the exit code, typed errors,
// stdin, a driven child read line by line, a detached daemon writing its log.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { hasCommand, ProcessError, run, runOrThrow, runSync, startDaemon, startProcess } from './process.js';

describe('run', () => {
  it('returns the output whatever the exit code, with the environment and input given', async () => {
    const result = await run('sh', ['-c', 'echo "$GREETING $(cat)"; echo oops >&2; exit 3'], {
      env: { GREETING: 'hello' },
      input: 'world',
    });
    expect(result).toEqual({ exitCode: 3, stdout: 'hello world', stderr: 'oops' });
    expect(runSync('sh', ['-c', 'echo sync; exit 2'])).toEqual({ exitCode: 2, stdout: 'sync', stderr: '' });
  });

  it('says when a program is not installed or runs out of time', async () => {
    const missing = run('chatlab-no-such-program', ['--version']);
    await expect(missing).rejects.toBeInstanceOf(ProcessError);
    await expect(missing).rejects.toMatchObject({
      code: 'PROCESS_NOT_FOUND',
      message: '`chatlab-no-such-program` is not installed (not found on PATH).',
      cause: expect.anything(),
    });
    await expect(run('sleep', ['5'], { timeoutMs: 600 })).rejects.toMatchObject({
      code: 'PROCESS_TIMEOUT',
      message: '`sleep 5` did not finish within 1 s.',
    });
    expect(await hasCommand('sh')).toBe(true);
    expect(await hasCommand('chatlab-no-such-program')).toBe(false);
  });
});

describe('runOrThrow', () => {
  it('fails with the exit code and the end of stderr', async () => {
    expect((await runOrThrow('sh', ['-c', 'echo fine'])).stdout).toBe('fine');
    await expect(runOrThrow('sh', ['-c', 'echo one >&2; echo two >&2; exit 4'])).rejects.toMatchObject({
      code: 'PROCESS_FAILED',
      message: '`sh -c echo one >&2; echo two >&2; exit 4` exited with 4: one | two',
      details: { exitCode: 4, stdout: '', stderr: 'one\ntwo' },
    });
  });
});

describe('startProcess', () => {
  it('drives a child line by line and reports how it ended', async () => {
    const child = startProcess('sh', [
      '-c',
      'while read line; do echo "got $line"; done; echo bye >&2; exit 5',
    ]);
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    child.stdin.write('a\n');
    expect((await lines.next()).value).toBe('got a');
    child.stdin.write('b\n');
    expect((await lines.next()).value).toBe('got b');
    expect(child.hasExited).toBe(false);
    child.stdin.end();
    child.stderr.resume();
    expect(await child.exited).toEqual({ exitCode: 5, signal: null });
    expect(child.hasExited).toBe(true);
  });

  it('stops a child that does not end by itself, and says when one could not start', async () => {
    const child = startProcess('sleep', ['30'], { stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' });
    expect(child.pid).toBeGreaterThan(0);
    expect(() => child.stdout).toThrow('not piped');
    expect(await child.stop(1000)).toEqual({ exitCode: null, signal: 'SIGTERM' });
    const missing = await startProcess('chatlab-no-such-program', []).exited;
    expect(missing.error?.code).toBe('PROCESS_NOT_FOUND');
  });
});

describe('startDaemon', () => {
  it('leaves the daemon running on its own, its output in the log file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatlab-process-'));
    try {
      const log = join(dir, 'daemon.log');
      startDaemon('sh', ['-c', 'echo started; echo warning >&2'], log);
      for (let i = 0; i < 50 && !readFileSync(log, 'utf8').includes('warning'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(readFileSync(log, 'utf8').split('\n').sort()).toEqual(['', 'started', 'warning']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

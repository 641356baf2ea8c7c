import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatClient } from '../client/index.js';

// `chatlab server` run as a person runs it: a child process, its output read, stopped with SIGTERM.

const dataDir = mkdtempSync(join(tmpdir(), 'chatlab-cli-server-'));
let child: ChildProcessWithoutNullStreams | undefined;

afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function chatlab(args: string[]): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const started = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args]);
  let text = '';
  started.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  started.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child = started;
  return { child: started, output: () => text };
}

async function until(output: () => string, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  for (let waited = 0; waited < 20_000; waited += 20) {
    const found = pattern.exec(output());
    if (found) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`waited 20 s for ${what}; the output was: ${output()}`);
}

const exited = (c: ChildProcessWithoutNullStreams): Promise<number | null> =>
  new Promise((resolve) =>
    c.once('exit', (code) => {
      resolve(code);
    }),
  );

describe('chatlab server', () => {
  it('prints its name, version and port, logs each request, applies --rate, and stops on SIGTERM', async () => {
    const server = chatlab([
      'server',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--data',
      dataDir,
      '--rate',
      '2',
    ]);
    const [, port] = await until(
      server.output,
      /^chatlab-server 0\.1\.0 listening on 127\.0\.0\.1:(\d+) \(protocol CHATLAB\/1, data .+\)$/m,
      'the start line',
    );
    const client = await ChatClient.connect({ host: '127.0.0.1', port: Number(port) });
    const codes = (await Promise.all(Array.from({ length: 8 }, () => client.request('PING')))).map(
      (r) => r.code,
    );
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(3); // burst of 4, then 2 a second
    await client.quit();
    await until(server.output, / - PING 429$/m, 'a log line for a refused PING');
    const code = exited(server.child);
    server.child.kill('SIGTERM');
    expect(await code).toBe(0);
    expect(server.output()).toContain('chatlab-server stopping');
  }, 30_000);

  it('applies --max-per-address and --registrations-per-hour', async () => {
    const server = chatlab([
      'server',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--data',
      join(dataDir, 'per-address'),
      '--max-per-address',
      '1',
      '--registrations-per-hour',
      '1',
    ]);
    const [, port] = await until(server.output, /listening on 127\.0\.0\.1:(\d+) /, 'the start line');
    const client = await ChatClient.connect({ host: '127.0.0.1', port: Number(port) });
    expect((await client.request('REGISTER', 'one one@example.org password-1')).code).toBe(201);
    const second = await client.request('REGISTER', 'two two@example.org password-2');
    expect([second.code, second.body.code]).toEqual([429, 'TOO_MANY_REGISTRATIONS']);
    const refused = await ChatClient.connect({ host: '127.0.0.1', port: Number(port) }).then(
      () => 'connected',
      (error: unknown) => String(error),
    );
    expect(refused).toContain('TOO_MANY_CONNECTIONS');
    await client.quit();
  }, 30_000);

  it('says in one line that the port is taken', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const address = busy.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const server = chatlab(['server', '--host', '127.0.0.1', '--port', String(port), '--data', dataDir]);
    expect(await exited(server.child)).toBe(1);
    busy.close();
    expect(server.output().trim()).toBe(
      `chatlab server: port ${port} on 127.0.0.1 is in use; stop what uses it or pass --port`,
    );
  }, 30_000);
});

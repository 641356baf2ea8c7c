import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatClient } from '../client/index.js';
import { SERVER_NODE_FLAGS } from '../server/node-flags.js';

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

/** The processes `pid` started, as Linux lists them. */
function childrenOf(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  return existsSync(file) ? readFileSync(file, 'utf8').split(' ').filter(Boolean).map(Number) : [];
}

const isRunning = (pid: number): boolean => existsSync(`/proc/${pid}`);

async function gone(pid: number): Promise<boolean> {
  for (let waited = 0; waited < 10_000 && isRunning(pid); waited += 50)
    await new Promise((r) => setTimeout(r, 50));
  return !isRunning(pid);
}

describe('chatlab server', () => {
  it("started by hand, runs again with the server's node flags, passes SIGTERM on and exits as the server does", async () => {
    const server = chatlab([
      'server',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--data',
      join(dataDir, 'flags'),
    ]);
    await until(server.output, /listening on 127\.0\.0\.1:\d+ /, 'the start line');
    const [pid] = childrenOf(server.child.pid ?? 0);
    expect(pid).toBeDefined();
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    // node, our flags, the node options it was given (tsx, here), the script and its arguments
    expect(cmdline.slice(1)).toEqual([
      ...SERVER_NODE_FLAGS,
      '--import',
      'tsx',
      expect.stringMatching(/src\/cli\/main\.ts$/),
      ...['server', '--host', '127.0.0.1', '--port', '0', '--data', join(dataDir, 'flags')],
    ]);
    const code = exited(server.child);
    server.child.kill('SIGTERM');
    expect(await code).toBe(0);
    expect(server.output()).toContain('chatlab-server stopping');
    expect(await gone(pid ?? 0)).toBe(true);
  }, 30_000);

  it('stops the server it started again when it is killed without passing a signal on', async () => {
    const server = chatlab([
      'server',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--data',
      join(dataDir, 'orphan'),
    ]);
    await until(server.output, /listening on 127\.0\.0\.1:\d+ /, 'the start line');
    const [pid] = childrenOf(server.child.pid ?? 0);
    expect(pid).toBeDefined();
    server.child.kill('SIGKILL');
    expect(await gone(pid ?? 0)).toBe(true);
  }, 30_000);

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

  it('stops a second server on the same data folder, saying why', async () => {
    const data = join(dataDir, 'twice');
    const first = chatlab(['server', '--host', '127.0.0.1', '--port', '0', '--data', data]);
    try {
      await until(first.output, / listening on /, 'the first server listening');
      // The server that holds it is the process `chatlab server` started again with the server's node flags.
      const second = chatlab(['server', '--host', '127.0.0.1', '--port', '0', '--data', data]);
      expect(await exited(second.child)).toBe(1);
      expect(second.output()).toMatch(
        /^chatlab: the data folder .*twice is in use by another chatlab server \(process \d+ has .*chatlab\.db\.lock\)/m,
      );
    } finally {
      first.child.kill('SIGKILL');
    }
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

  it('with --udp answers CHATLAB/1 datagrams on the same port: a raw HELLO gets the greeting and its reply', async () => {
    const server = chatlab([
      'server',
      '--udp',
      ...['--host', '127.0.0.1', '--port', '0'],
      '--data',
      join(dataDir, 'udp'),
    ]);
    const [, port] = await until(
      server.output,
      /listening on 127\.0\.0\.1:(\d+) \(protocol CHATLAB\/1 over TCP and UDP, data .+\)$/m,
      'the start line',
    );
    const socket = createSocket('udp4');
    const datagrams: string[] = [];
    socket.on('message', (datagram) => datagrams.push(datagram.toString('utf8')));
    socket.send('HELLO nc/1\n', Number(port), '127.0.0.1');
    for (let waited = 0; datagrams.length < 2 && waited < 5000; waited += 20)
      await new Promise((r) => setTimeout(r, 20));
    socket.close();
    expect(datagrams[0]).toMatch(
      /^\* HELLO \{"app":"chatlab-server",.*"dataChunk":1200,.*"transport":"udp"\}\n$/,
    );
    expect(datagrams[1]).toMatch(/^- 200 OK \{"app":"chatlab-server",.*"transport":"udp"\}\n$/);
    // TCP still serves chat on that port.
    const client = await ChatClient.connect({ host: '127.0.0.1', port: Number(port) });
    expect(client.server.transport).toBeUndefined();
    await client.quit();
    await until(server.output, / - HELLO 200$/m, 'a log line for the HELLO');
    expect(server.output()).toMatch(/127\.0\.0\.1:\d+ - CONNECT UDP$/m);
  }, 30_000);

  it('explains --udp in --help', async () => {
    const help = chatlab(['server', '--help']);
    expect(await exited(help.child)).toBe(0);
    expect(help.output()).toContain('--udp');
    expect(help.output()).toContain('With --udp the same port number answers CHATLAB/1 over UDP too');
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

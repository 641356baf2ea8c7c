import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChatServer } from '../../server/index.js';
import { startServer } from '../../server/index.js';
import { ChatClient } from '../connection/chat-client.js';
import { runScriptClient } from './script-client.js';
import { ScriptDriver } from './script-driver.js';

let server: ChatServer;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'chatlab-client-e2e-'));
  server = await startServer({ host: '127.0.0.1', port: 0, dataDir: path.join(work, 'data') });
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

function scriptClient(name: string): { driver: ScriptDriver; exit: Promise<number> } {
  const input = new PassThrough();
  const output = new PassThrough();
  const exit = runScriptClient({
    connect: { host: '127.0.0.1', port: server.port },
    input,
    output,
    downloadDir: path.join(work, `${name}-downloads`),
  }).finally(() => output.end());
  return { driver: new ScriptDriver(input, output), exit };
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('two script clients and a real server on 127.0.0.1', () => {
  it('register, log in, chat in a room and directly, and pass a 1 MiB and a 0-byte file', async () => {
    const alice = scriptClient('alice');
    const bob = scriptClient('bob');
    const ok = (line: unknown): void => {
      expect(line).toMatchObject({ code: expect.any(Number) as unknown });
      expect((line as { code: number }).code).toBeLessThan(400);
    };

    ok(await alice.driver.command('/register alice alice@example.org alice-pw1'));
    ok(await alice.driver.command('/login alice alice-pw1'));
    ok(await alice.driver.command('/create lab'));
    ok(await bob.driver.command('/register bob bob@example.org bob-pw12 postal=90000'));
    ok(await bob.driver.command('/login bob bob-pw12'));
    ok(await bob.driver.command('/join lab'));
    expect(await alice.driver.command('/wait JOIN user=bob')).toMatchObject({
      ok: true,
      body: { room: 'lab' },
    });

    ok(await bob.driver.command('hello alice | a:b'));
    ok(await bob.driver.command('hello alice | a:b')); // the same text twice: both delivered
    const heard = [await alice.driver.event('MSG'), await alice.driver.event('MSG')];
    expect(heard.map((m) => [m.room, m.from, m.text])).toEqual([
      ['lab', 'bob', 'hello alice | a:b'],
      ['lab', 'bob', 'hello alice | a:b'],
    ]);
    ok(await alice.driver.command('/msg bob psst: ✓'));
    expect(await bob.driver.event('DM')).toMatchObject({ from: 'alice', text: 'psst: ✓' });

    const big = randomBytes(1024 * 1024);
    await writeFile(path.join(work, 'big.bin'), big);
    await writeFile(path.join(work, 'empty.txt'), '');
    for (const [file, bytes] of [
      ['big.bin', big],
      ['empty.txt', Buffer.alloc(0)],
    ] as const) {
      const sent = await alice.driver.command(`/send #lab ${path.join(work, file)}`);
      expect(sent).toMatchObject({ type: 'local', ok: true, file: { name: file, size: bytes.length } });
      const offer = await bob.driver.event('FILE', (d) => (d.file as { name: string }).name === file);
      const { id } = offer.file as { id: number };
      const got = await bob.driver.command(`/get ${id}`);
      expect(got).toMatchObject({ type: 'local', ok: true, path: path.join(work, 'bob-downloads', file) });
      const saved = await readFile(path.join(work, 'bob-downloads', file));
      expect(sha256(saved)).toBe(sha256(bytes));
    }

    expect(await bob.driver.command('/leave lab')).toMatchObject({ code: 200, verb: 'LEAVE' });
    expect(await alice.driver.command('/leave')).toMatchObject({
      code: 409,
      body: { code: 'OWNER_MUST_HAND_OVER' },
    });
    await Promise.all([alice.driver.end(), bob.driver.end()]);
    expect(await alice.exit).toBe(0);
    expect(await bob.exit).toBe(0);
  });

  it('keeps a hostile offered file name inside the downloads folder', async () => {
    const mallory = await ChatClient.connect({ host: '127.0.0.1', port: server.port });
    await mallory.call('REGISTER', 'mallory mallory@example.org mallory-pw1');
    await mallory.call('LOGIN', 'mallory mallory-pw1');
    const carol = scriptClient('carol');
    expect(await carol.driver.command('/register carol carol@example.org carol-pw1')).toMatchObject({
      code: 201,
    });
    expect(await carol.driver.command('/login carol carol-pw1')).toMatchObject({ code: 200 });

    const { file } = await mallory.upload('@carol', Buffer.from('gotcha'), '../../../escape.txt');
    const got = await carol.driver.command(`/get ${file.id}`);
    expect(got).toMatchObject({ type: 'local', ok: true });
    const saved = String(got.type === 'local' ? got.path : '');
    expect(path.dirname(saved)).toBe(path.join(work, 'carol-downloads'));
    expect(await readFile(saved, 'utf8')).toBe('gotcha');
    expect(await readdir(work)).not.toContain('escape.txt');
    await carol.driver.end();
    await mallory.quit();
  });

  it('can be driven step by step from another process: `chatlab client --script` on stdin and stdout', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'client', '--script', '--server', `127.0.0.1:${server.port}`],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const exited = once(child, 'exit');
    const driver = new ScriptDriver(child.stdin, child.stdout);
    expect(await driver.next((l) => l.type === 'local', { timeoutMs: 30_000 })).toMatchObject({
      command: '/connect',
      server: { app: 'chatlab-server', protocol: 'CHATLAB/1' },
    });
    expect(await driver.command('/register dave dave@example.org dave-pw1')).toMatchObject({ code: 201 });
    expect(await driver.command('/login dave dave-pw1')).toMatchObject({ code: 200 });
    expect(await driver.command('/create daves')).toMatchObject({ code: 201, verb: 'CREATE' });
    expect(await driver.command('hi from a child process')).toMatchObject({ code: 200, verb: 'SAY' });
    expect(await driver.command('/quit')).toMatchObject({ type: 'local', command: '/quit', ok: true });
    expect(await exited).toEqual([0, null]);
  }, 60_000);
});

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { encodeData, encodeEvent } from '../../protocol/index.js';
import { ChatClient } from '../connection/chat-client.js';
import { CommandRunner } from './command-runner.js';
import type { FakeConnection } from '../../../test/support/fake-server.js';
import { FakeServer } from '../../../test/support/fake-server.js';
import { sha256Hex } from '../connection/download-sink.js';

let server: FakeServer;
let dir: string;
const clients: ChatClient[] = [];

beforeEach(async () => {
  server = await FakeServer.start();
  dir = await mkdtemp(path.join(tmpdir(), 'chatlab-runner-'));
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function open(): Promise<{ runner: CommandRunner; conn: FakeConnection }> {
  const connecting = ChatClient.connect({ host: '127.0.0.1', port: server.port });
  const conn = await server.connection();
  await conn.greet();
  const client = await connecting;
  clients.push(client);
  return { runner: new CommandRunner(client, { downloadDir: path.join(dir, 'downloads') }), conn };
}

describe('the command runner', () => {
  it('follows who is logged in and the current room', async () => {
    const { runner, conn } = await open();
    const login = runner.run('/login alice pw1234');
    const request = await conn.nextRequest('LOGIN');
    await conn.write(`${request.tag} 200 OK {"user":{"name":"alice"},"rooms":[{"name":"lab"}]}\n`);
    expect(await login).toMatchObject({ type: 'reply', verb: 'LOGIN', reply: { code: 200 } });
    expect([runner.user, runner.room]).toEqual(['alice', 'lab']);

    const refused = runner.run('/join other');
    await conn.write(`${(await conn.nextRequest('JOIN')).tag} 404 Not Found {"code":"NO_SUCH_ROOM"}\n`);
    await refused;
    expect(runner.room).toBe('lab'); // a refused JOIN changes nothing

    await conn.write(encodeEvent('DELETED', { room: 'lab', by: 'bob' }));
    await runner.client.waitForEvent('DELETED');
    expect(runner.room).toBeUndefined();
  });

  it('reports a file it cannot read without sending anything', async () => {
    const { runner, conn } = await open();
    const missing = path.join(dir, 'nope.txt');
    expect(await runner.run(`/send #lab ${missing}`)).toEqual({
      type: 'local',
      command: '/send',
      ok: false,
      message: `cannot read ${missing}: no such file`,
    });
    const ping = runner.run('/ping');
    expect((await conn.nextRequest()).verb).toBe('PING');
    conn.socket.destroy();
    await ping;
  });

  it('saves a download under ./downloads with a safe name, and reports a refused one', async () => {
    const { runner, conn } = await open();
    const bytes = Buffer.from('hello file');
    const getting = runner.run('/get 4');
    const request = await conn.nextRequest('DOWNLOAD');
    const file = { id: 4, name: '../up.txt', size: bytes.length, sha256: sha256Hex(bytes) };
    await conn.write(
      `${request.tag} 200 OK ${JSON.stringify({ file, transfer: 1 })}\n`,
      encodeData(1, 0, bytes),
    );
    const where = path.join(dir, 'downloads', 'up.txt');
    expect(await getting).toMatchObject({ type: 'local', ok: true, data: { path: where } });
    expect(await readFile(where, 'utf8')).toBe('hello file');

    const refused = runner.run('/get 5');
    const second = await conn.nextRequest('DOWNLOAD');
    await conn.write(`${second.tag} 403 Forbidden {"code":"NOT_OFFERED","message":"not offered to you"}\n`);
    expect(await refused).toEqual({
      type: 'local',
      command: '/get',
      ok: false,
      message: '403 NOT_OFFERED: not offered to you',
    });
    // Written as the bytes came, through a hidden .part file: none is left, after the saved one or the refusal.
    expect(await readdir(path.join(dir, 'downloads'))).toEqual(['up.txt']);
  });

  it('writes a download whose bytes do not match its SHA-256 nowhere, and a second one beside the first', async () => {
    const { runner, conn } = await open();
    const bytes = Buffer.alloc(200_000, 7);
    const file = { id: 6, name: 'big.bin', size: bytes.length, sha256: sha256Hex(bytes) };
    const get = async (sent: Buffer): Promise<unknown> => {
      const getting = runner.run('/get 6');
      const request = await conn.nextRequest('DOWNLOAD');
      await conn.write(
        `${request.tag} 200 OK ${JSON.stringify({ file, transfer: 2 })}\n`,
        ...[0, 65536, 131072, 196608].map((at) => encodeData(2, at, sent.subarray(at, at + 65536))),
      );
      return getting;
    };
    const bad = Buffer.from(bytes);
    bad[100_000] = 8;
    expect(await get(bad)).toMatchObject({
      type: 'local',
      ok: false,
      message: expect.stringContaining('SHA-256'),
    });
    expect(await readdir(dir)).toEqual([]); // not even the downloads folder it made

    expect(await get(bytes)).toMatchObject({
      ok: true,
      data: { path: path.join(dir, 'downloads', 'big.bin') },
    });
    expect(await get(bytes)).toMatchObject({
      ok: true,
      data: { path: path.join(dir, 'downloads', 'big-1.bin') },
    });
    expect((await readdir(path.join(dir, 'downloads'))).sort()).toEqual(['big-1.bin', 'big.bin']);
    expect((await readFile(path.join(dir, 'downloads', 'big-1.bin'))).equals(bytes)).toBe(true);
  });

  it('waits for an event matching key=value pairs, nested ones too, and times out saying what arrived', async () => {
    const { runner, conn } = await open();
    await conn.write(
      encodeEvent('FILE', { file: { id: 1, name: 'a.txt' } }),
      encodeEvent('FILE', { file: { id: 2, name: 'b.txt' } }),
    );
    expect(await runner.run('/wait FILE file.name=b.txt')).toMatchObject({
      ok: true,
      data: { event: 'FILE', body: { file: { id: 2 } } },
    });
    const timedOut = await runner.run('/wait MSG from=zoe timeout=50');
    expect(timedOut).toMatchObject({ type: 'local', ok: false });
    expect(timedOut?.type === 'local' && timedOut.message).toMatch(/^waited 50 ms for \* MSG matching/);
  });
});

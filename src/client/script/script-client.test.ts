import { once } from 'node:events';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { encodeEvent } from '../../protocol/index.js';
import type { FakeConnection } from '../../../test/support/fake-server.js';
import { FakeServer, GREETING } from '../../../test/support/fake-server.js';
import { runScriptClient } from './script-client.js';
import { ScriptDriver } from './script-driver.js';

let server: FakeServer;
beforeEach(async () => {
  server = await FakeServer.start();
});
afterEach(async () => {
  await server.close();
});

type Extra = { user?: string; password?: string; reconnect?: { attempts: number } };

function scriptClient(port: number, extra: Extra = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  const exit = runScriptClient({ connect: { host: '127.0.0.1', port }, input, output, ...extra }).finally(
    () => output.end(),
  );
  return { driver: new ScriptDriver(input, output), exit };
}

async function started(extra: Extra = {}) {
  const { driver, exit } = scriptClient(server.port, extra);
  const conn = await server.connection();
  await conn.greet();
  return { driver, exit, conn };
}

/** Answers the next request and returns it. */
async function answer(conn: FakeConnection, verb: string, reply: string): Promise<void> {
  const request = await conn.nextRequest(verb);
  await conn.write(`${request.tag} ${reply}\n`);
}

describe('the script client', () => {
  it('prints one JSON line per reply, event, local outcome and error, each command completed by its line number', async () => {
    const { driver, exit, conn } = await started();
    const login = driver.command('/login alice s3cret');
    await answer(
      conn,
      'LOGIN',
      '200 OK {"user":{"name":"alice"},"rooms":[{"name":"lab"}],"notifications":0}',
    );
    expect(await login).toEqual({
      type: 'reply',
      tag: 2,
      code: 200,
      reason: 'OK',
      body: { user: { name: 'alice' }, rooms: [{ name: 'lab' }], notifications: 0 },
      verb: 'LOGIN',
      command: '/login',
      line: 1,
    });

    await conn.write(encodeEvent('MSG', { room: 'lab', from: 'bob', text: 'hi' }));
    expect(await driver.event('MSG')).toEqual({ room: 'lab', from: 'bob', text: 'hi' });

    expect(await driver.command('/frob')).toEqual({
      type: 'error',
      command: '/frob',
      message: 'unknown command /frob; /help lists the commands',
      line: 2,
    });
    const say = driver.command('hello | there'); // plain text goes to the room LOGIN made current
    await answer(conn, 'SAY', '403 Forbidden {"code":"NOT_A_MEMBER","message":"join lab first"}');
    expect(await say).toMatchObject({ type: 'reply', code: 403, body: { code: 'NOT_A_MEMBER' }, line: 3 });
    expect(await driver.command('/room other')).toMatchObject({
      type: 'local',
      command: '/room',
      ok: true,
      room: 'other',
      line: 4,
    });

    driver.closeInput();
    await answer(conn, 'QUIT', '200 OK');
    conn.socket.end();
    expect(await exit).toBe(0);
    await driver.ended;
    expect(driver.lines[0]).toMatchObject({ type: 'local', command: '/connect', ok: true, server: GREETING });
    expect(driver.lines.map((l) => l.type)).toEqual([
      'local', // connected
      'reply', // LOGIN
      'event',
      'error',
      'reply', // SAY
      'local', // /room
      'reply', // QUIT at the end of the input
    ]);
  });

  it('logs in with --user and --password first (line 0)', async () => {
    // No reconnecting once the server goes: the client ends, and leaves no retry timers behind the test.
    const { driver, exit, conn } = await started({
      user: 'alice',
      password: 'pw1234',
      reconnect: { attempts: 0 },
    });
    const login = await conn.nextRequest('LOGIN');
    expect(login.args).toBe('alice pw1234');
    await conn.write(`${login.tag} 401 Unauthorized {"code":"BAD_CREDENTIALS","message":"wrong"}\n`);
    expect(await driver.next((l) => l.type === 'reply' && l.verb === 'LOGIN')).toMatchObject({
      line: 0,
      code: 401,
    });
    conn.socket.destroy();
    expect(await exit).toBe(1);
  });

  it('ends on /quit after the reply, and exits 1 when the server goes away', async () => {
    const first = await started();
    const quit = first.driver.command('/quit');
    await answer(first.conn, 'QUIT', '200 OK');
    first.conn.socket.end();
    expect(await quit).toEqual({ type: 'local', command: '/quit', ok: true, message: 'bye', line: 1 });
    expect(await first.exit).toBe(0);

    const second = await started();
    await second.conn.write(encodeEvent('BYE', { code: 'LOGIN_TIMEOUT', message: 'log in within 60 s' }));
    second.conn.socket.end();
    expect(await second.exit).toBe(1);
    await second.driver.ended;
    expect(second.driver.lines.at(-1)).toEqual({
      type: 'error',
      message: `connection to 127.0.0.1:${server.port} lost (BYE LOGIN_TIMEOUT: log in within 60 s)`,
    });
  });

  it('says why it cannot connect, and exits 1', async () => {
    const spare = net.createServer().listen(0, '127.0.0.1');
    await once(spare, 'listening');
    const { port } = spare.address() as net.AddressInfo;
    spare.close();
    const { driver, exit } = scriptClient(port);
    expect(await exit).toBe(1);
    await driver.ended;
    expect(driver.lines).toEqual([
      {
        type: 'error',
        message: `cannot reach chatlab server at 127.0.0.1:${port}: connection refused — is the server running?`,
      },
    ]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { PassThrough, Writable } from 'node:stream';
import { ServerFixture } from '../../../test/support/server-fixture.js';
import type { ReconnectOptions } from './reconnect-policy.js';
import type { ScriptLine } from '../script/script-client.js';
import { runScriptClient } from '../script/script-client.js';
import { ScriptDriver } from '../script/script-driver.js';
import { runTerminalClient } from '../terminal/terminal-client.js';

// The script and the terminal client through a server restart (same port, same data folder): they say
// what happens, come back logged in and in their room, and the commands typed meanwhile run then.

const FAST: ReconnectOptions = { initialDelayMs: 50, maxDelayMs: 200, jitter: 0, heartbeatMs: 0 };

let fixture: ServerFixture;
beforeEach(async () => {
  fixture = await ServerFixture.start();
  await (await fixture.user('alice')).quit();
  await (await fixture.user('bob')).call('CREATE', 'general');
});
afterEach(async () => {
  await fixture.stop();
});

function scriptClient(reconnect: ReconnectOptions) {
  const input = new PassThrough();
  const output = new PassThrough();
  const connect = { host: '127.0.0.1', port: fixture.port };
  const exit = runScriptClient({ connect, input, output, reconnect }).finally(() => output.end());
  return { driver: new ScriptDriver(input, output), exit };
}

const connection = (state: string) => (line: ScriptLine) =>
  line.type === 'connection' && line.state === state;

describe('the script client', () => {
  it('says the connection was lost, comes back as alice in general, and runs what was typed meanwhile', async () => {
    const { driver, exit } = scriptClient(FAST);
    expect(await driver.command('/login alice alice-pw1')).toMatchObject({ code: 200, line: 1 });
    expect(await driver.command('/join general')).toMatchObject({ code: 200, line: 2 });
    await fixture.down();
    expect(await driver.next(connection('lost'))).toMatchObject({
      type: 'connection',
      state: 'lost',
      attempt: 1,
      attempts: 30,
      delayMs: 50,
      message: expect.stringMatching(
        /^connection lost: .*; reconnecting in 0\.05 s \(attempt 1 of 30\)$/,
      ) as unknown,
    });
    const said = driver.command('said after the restart');
    await driver.next(connection('lost'));
    await fixture.up();
    expect(await driver.next(connection('reconnected'))).toMatchObject({
      user: 'alice',
      notes: ['logged in again as alice', 'back in general'],
    });
    expect(await said).toMatchObject({ type: 'reply', verb: 'SAY', code: 200, line: 3 });
    const back = await fixture.login('bob'); // bob's own connection went down with the server
    expect((await back.call('HISTORY', '#general')).messages).toMatchObject([
      { from: 'alice', text: 'said after the restart' },
    ]);
    driver.closeInput();
    expect(await exit).toBe(0);
  }, 20_000);

  it('gives up after its attempts and exits 1, saying why', async () => {
    const { driver, exit } = scriptClient({ ...FAST, attempts: 2 });
    await driver.command('/login alice alice-pw1');
    await fixture.down();
    expect(await exit).toBe(1);
    await driver.ended;
    const last = driver.lines.slice(-2);
    expect(last[0]).toMatchObject({ type: 'connection', state: 'closed' });
    expect(last[1]).toEqual({
      type: 'error',
      message: expect.stringMatching(
        /^connection to 127\.0\.0\.1:\d+ lost \(gave up reconnecting to 127\.0\.0\.1:\d+ after 2 attempts: cannot reach chatlab server at .*: connection refused — is the server running\?\)$/,
      ) as unknown,
    });
  });
});

describe('the terminal client', () => {
  it('shows the attempts and the way back, and goes on in the same room', async () => {
    let written = '';
    const output = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.toString();
        callback();
      },
    });
    const input = new PassThrough();
    const connect = { host: '127.0.0.1', port: fixture.port };
    const done = runTerminalClient({
      connect,
      input,
      output,
      reconnect: FAST,
      user: 'alice',
      password: 'alice-pw1',
    });
    const until = async (text: string): Promise<void> => {
      for (let i = 0; !written.includes(text); i++) {
        if (i > 1000) throw new Error(`the terminal never showed "${text}":\n${written}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    await until('logged in as alice');
    input.write('/join general\n');
    await until('joined general');
    await fixture.down();
    await until('(attempt 2 of 30)');
    await fixture.up();
    await until('; logged in again as alice; back in general');
    expect(written).toMatch(/\nconnection lost: .*; reconnecting in 0\.05 s \(attempt 1 of 30\)\n/);
    expect(written).toMatch(
      /\nreconnected to 127\.0\.0\.1:\d+ after \d+(\.\d+)? s; logged in again as alice; back in general\n/,
    );
    const other = await fixture.login('bob');
    input.write('still here\n');
    expect((await other.waitForEvent('MSG')).body).toMatchObject({ from: 'alice', text: 'still here' });
    input.end();
    expect(await done).toBe(0);
  }, 20_000);
});

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ServerFixture } from '../../../test/support/server-fixture.js';
import type { ChatClient } from '../connection/chat-client.js';
import { CommandRunner } from '../commands/command-runner.js';
import { CutProxy } from '../../../test/support/cut-proxy.js';
import type { ConnectionChange } from './reconnect-events.js';
import { ReconnectingClient } from './reconnecting-client.js';

// A network cut between a client and the server (CutProxy: no FIN, no reset, just silence): the heartbeat
// finds the dead connection, the client comes back when the network does, as the same user in the same
// room, with what it missed; a transfer the cut interrupted is reported failed and works when retried.

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

let fixture: ServerFixture;
let proxy: CutProxy;
let dir: string;
let alice: ReconnectingClient;
let runner: CommandRunner;
let bob: ChatClient;
const seen: ConnectionChange[] = [];

beforeEach(async () => {
  fixture = await ServerFixture.start({ maxFileSize: 8 * 1024 * 1024 });
  proxy = await CutProxy.start(fixture.port);
  dir = mkdtempSync(path.join(tmpdir(), 'chatlab-cut-'));
  await (await fixture.user('alice')).quit();
  bob = await fixture.user('bob');
  await bob.call('CREATE', 'general');
  alice = await ReconnectingClient.connect({
    host: '127.0.0.1',
    port: proxy.port,
    reconnect: { initialDelayMs: 50, maxDelayMs: 200, jitter: 0, heartbeatMs: 150, heartbeatTimeoutMs: 300 },
  });
  seen.length = 0;
  alice.on('connection', (change) => seen.push(change));
  runner = new CommandRunner(alice, { downloadDir: path.join(dir, 'downloads') });
  for (const line of ['/login alice alice-pw1', '/join general']) {
    expect(await runner.run(line)).toMatchObject({ type: 'reply', reply: { code: 200 } });
  }
});
afterEach(async () => {
  alice.destroy();
  await proxy.close();
  await fixture.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; !check(); i++) {
    if (i > 1000) throw new Error(`waited 10 s for ${what}; connection changes: ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const states = (): string[] => seen.map((c) => c.state);

/** Waits until the cut has been noticed and an attempt failed, then heals it and waits for the way back. */
async function healAfterAttempts(attempts = 2): Promise<ConnectionChange> {
  await until(`${attempts} attempts`, () => states().filter((s) => s === 'lost').length >= attempts);
  proxy.heal();
  await until('the reconnection', () => states().includes('reconnected'));
  const back = seen.find((c) => c.state === 'reconnected');
  if (!back) throw new Error('no reconnection');
  return back;
}

describe('a network cut', () => {
  it('is noticed by the heartbeat; back, the client is the same user in the same room and gets what it missed', async () => {
    await bob.call('SAY', 'general before');
    expect((await alice.waitForEvent('MSG')).body.text).toBe('before');
    proxy.cut();
    await bob.call('SAY', 'general during one');
    await bob.call('SAY', 'general during two');
    const back = await healAfterAttempts();
    expect(seen[0]?.message).toMatch(
      /^connection lost: no answer from 127\.0\.0\.1:\d+ for 0\.\d+ s; reconnecting in 0\.05 s \(attempt 1 of 30\)$/,
    );
    expect(back).toMatchObject({
      user: 'alice',
      notes: ['logged in again as alice', 'back in general, 2 message(s) missed meanwhile'],
    });
    const missed = [await alice.waitForEvent('MSG'), await alice.waitForEvent('MSG')];
    expect(missed.map((m) => [m.body.text, m.body.replayed])).toEqual([
      ['during one', true],
      ['during two', true],
    ]);
    expect([runner.user, runner.room]).toEqual(['alice', 'general']);
    expect(await runner.run('hello again')).toMatchObject({ type: 'reply', reply: { code: 200 } });
    expect((await bob.waitForEvent('MSG')).body).toMatchObject({ from: 'alice', text: 'hello again' });
  }, 20_000);

  it('fails an upload it cut short; nothing is stored, and sending it again works', async () => {
    const bytes = randomBytes(3 * 1024 * 1024);
    const file = path.join(dir, 'big.bin');
    writeFileSync(file, bytes);
    proxy.cutAfter('up', 1024 * 1024);
    const sent = runner.run(`/send #general ${file}`);
    await until('the cut', () => proxy.cutNow);
    await healAfterAttempts(1);
    expect(await sent).toMatchObject({
      type: 'local',
      ok: false,
      message: expect.stringMatching(
        /^the upload of big\.bin was cut short \(.*\); a transfer cut short is never stored: send it again$/,
      ) as unknown,
    });
    await until(
      'the partial upload to go',
      () => readdirSync(path.join(fixture.dataDir, 'files', 'partial')).length === 0,
    );
    expect((await bob.call('FILES')).files).toEqual([]);
    expect(await runner.run(`/send #general ${file}`)).toMatchObject({ type: 'local', ok: true });
    const offer = await bob.waitForEvent('FILE');
    const { data } = await bob.download((offer.body.file as { id: number }).id);
    expect(sha(data)).toBe(sha(bytes));
  }, 20_000);

  it('fails a download it cut short; nothing is saved, and getting it again works', async () => {
    const bytes = randomBytes(3 * 1024 * 1024);
    const { file } = await bob.upload('#general', bytes, 'photo.bin');
    proxy.cutAfter('down', 1024 * 1024);
    const got = runner.run(`/get ${file.id}`);
    await until('the cut', () => proxy.cutNow);
    await healAfterAttempts(1);
    expect(await got).toMatchObject({
      type: 'local',
      ok: false,
      message: expect.stringMatching(
        new RegExp(
          `^the download of file ${file.id} was cut short \\(.*\\); nothing was saved: get it again$`,
        ),
      ) as unknown,
    });
    expect(readdirSync(dir)).toEqual([]); // not even the downloads folder
    const again = await runner.run(`/get ${file.id}`);
    expect(again).toMatchObject({ type: 'local', ok: true });
    const saved = again?.type === 'local' ? String(again.data?.path) : '';
    expect(sha(readFileSync(saved))).toBe(sha(bytes));
  }, 20_000);
});

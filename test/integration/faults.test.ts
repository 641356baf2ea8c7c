// Faults in the real lab (issue 7, docs/FAULTS.md): the server container killed and started again in the
// middle of a conversation and of a transfer, a client container cut off the network and put back. The
// clients are `chatlab client --script` in their containers and come back on their own.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildTopology,
  connectEngine,
  Lab,
  Progress,
  readLabConfig,
  removeProject,
  type StartedLab,
} from '../../src/lab/index.js';
import { Chat, docker, sh, throttle, until } from './fault-tools.js';
import { diskFullCase } from './faults-disk.js';

const captures = mkdtempSync(join(tmpdir(), 'chatlab-faults-'));
const topology = buildTopology(
  readLabConfig({
    CHATLAB_PROJECT: 'chatlab-faults',
    CHATLAB_SUBNET: '10.77.60.0/24',
    CHATLAB_CLIENTS: 'alice,bob',
    CHATLAB_HOST_PORT: 'none',
    CHATLAB_CAPTURES: captures,
  }),
);

let lab: StartedLab | undefined;
let alice: Chat;
let bob: Chat;
let server = '';
/** Seconds from `docker start` to each client being back, for the record. */
const figures: string[] = [];

async function cleanUp(): Promise<void> {
  await removeProject(await connectEngine(), topology.project);
}

beforeAll(async () => {
  await cleanUp(); // whatever a crashed run left
  try {
    lab = await new Lab().withTopology(topology).withProgress(new Progress()).start();
    server = lab.host('server').container.id;
    alice = new Chat(lab.scriptedClient('alice'));
    bob = new Chat(lab.scriptedClient('bob'));
    for (const chat of [alice, bob]) {
      await chat.ok(`/register ${chat.name} ${chat.name}@example.org s3cret-${chat.name}`);
      await chat.ok(`/login ${chat.name} s3cret-${chat.name}`);
    }
    await bob.ok('/create general');
    await alice.ok('/join general');
  } catch (error) {
    await lab?.stop().catch(() => undefined);
    await cleanUp();
    throw error;
  }
}, 300_000);

afterAll(async () => {
  for (const chat of [alice, bob] as (Chat | undefined)[]) await chat?.client.close().catch(() => undefined);
  try {
    await lab?.stop();
  } finally {
    await cleanUp();
    rmSync(captures, { recursive: true, force: true });
    if (figures.length > 0) process.stdout.write(`faults: ${figures.join('; ')}\n`);
  }
}, 120_000);

/** Kills the server container (SIGKILL: no goodbye) and starts it again; resolves when it is started. */
async function crashServer(before?: () => Promise<void>): Promise<number> {
  await docker('kill', server);
  await before?.();
  await docker('start', server);
  return Date.now();
}

async function backAgain(mark: [number, number], started: number, label: string) {
  const back = await Promise.all([
    alice.connection('reconnected', mark[0]),
    bob.connection('reconnected', mark[1]),
  ]);
  figures.push(`${label}: back ${((Date.now() - started) / 1000).toFixed(1)} s after docker start`);
  return back;
}

describe('the server container killed and started again', () => {
  it('mid-conversation: both clients come back logged in and in their room; accounts, rooms, history and files are kept', async () => {
    const alices = lab?.host('alice').container.id ?? '';
    const bobs = lab?.host('bob').container.id ?? '';
    const kept = await sh(alices, 'head -c 300000 /dev/urandom > /tmp/kept.bin && sha256sum /tmp/kept.bin');
    const keptId = ((await alice.ok('/send #general /tmp/kept.bin')).file as { id: number }).id;
    await alice.ok('said before the crash');
    await bob.event('MSG', (m) => m.text === 'said before the crash', 0);
    const mark: [number, number] = [alice.since(), bob.since()];
    const started = await crashServer(async () => {
      const lost = await alice.connection('lost', mark[0]);
      expect(lost.message).toMatch(
        /^connection lost: .*; reconnecting in \d+(\.\d+)? s \(attempt 1 of 30\)$/,
      );
    });
    const [aliceBack, bobBack] = await backAgain(mark, started, 'mid-conversation');
    expect(aliceBack.notes).toEqual(['logged in again as alice', 'back in general']);
    expect(bobBack.notes).toEqual(['logged in again as bob', 'back in general']);

    const after = bob.since();
    await alice.ok('said after the crash');
    await bob.event('MSG', (m) => m.from === 'alice' && m.text === 'said after the crash', after);
    const history = await bob.ok('/history general');
    const texts = (history.body as { messages: { text: string }[] }).messages.map((m) => m.text);
    expect(texts).toEqual(['said before the crash', 'said after the crash']);
    expect((await bob.ok('/rooms')).body).toMatchObject({
      rooms: [{ name: 'general', owner: 'bob', members: 2, online: 2 }],
    });
    await bob.ok(`/get ${keptId} /tmp/kept.bin`);
    expect((await sh(bobs, 'sha256sum /tmp/kept.bin')).split(' ')[0]).toBe(kept.split(' ')[0]);
    expect((await alice.ok('/whois bob')).body).toMatchObject({
      user: { name: 'bob', email: 'bob@example.org', online: true },
    });
  }, 120_000);

  it('mid-transfer: the upload cut short fails, is never stored, and sent again arrives whole', async () => {
    const alices = lab?.host('alice').container.id ?? '';
    const bobs = lab?.host('bob').container.id ?? '';
    const digest = (
      await sh(alices, 'head -c 8388608 /dev/urandom > /tmp/big.bin && sha256sum /tmp/big.bin')
    ).split(' ')[0];
    await throttle(alices, '8mbit'); // 8 MiB take some 8 s: plenty of time to kill the server in the middle
    const mark: [number, number] = [alice.since(), bob.since()];
    const sending = alice.run('/send #general /tmp/big.bin');
    const received = async (): Promise<number> =>
      Number((await sh(server, 'cat /data/files/partial/* 2>/dev/null | wc -c')).trim());
    await until('the server to hold part of the upload', async () => (await received()) > 1024 * 1024);
    const started = await crashServer();
    const outcome = await sending;
    expect(outcome).toMatchObject({ type: 'local', command: '/send', ok: false });
    expect(String(outcome.message)).toMatch(
      /^the upload of big\.bin was cut short \(.*\); a transfer cut short is never stored: send it again$/,
    );
    await backAgain(mark, started, 'mid-transfer');
    await throttle(alices, null);
    expect(await sh(server, 'ls -A /data/files/partial')).toBe('');
    const files = ((await alice.ok('/files')).body as { files: { name: string }[] }).files;
    expect(files.map((f) => f.name)).toEqual(['kept.bin']); // and no big.bin

    const offered = bob.since();
    const sent = await alice.ok('/send #general /tmp/big.bin');
    const id = (sent.file as { id: number }).id;
    await bob.event('FILE', (d) => (d.file as { id?: number } | undefined)?.id === id, offered);
    await bob.ok(`/get ${id} /tmp/got.bin`);
    expect((await sh(bobs, 'sha256sum /tmp/got.bin')).split(' ')[0]).toBe(digest);
  }, 120_000);
});

describe('a client container cut off the network', () => {
  it('comes back when the network does, as the same user in the same room, with what it missed', async () => {
    const alices = lab?.host('alice').container.id ?? '';
    const mark = alice.since();
    await docker('network', 'disconnect', topology.network, alices);
    let reconnected = false;
    let connectedAt = 0;
    try {
      await bob.ok('said while alice was away, one');
      await bob.ok('said while alice was away, two');
      // The heartbeat notices: no byte from the server for 20 s, then no answer to its PING for 10 s more.
      const lost = await alice.connection('lost', mark, 60_000);
      expect(lost.message).toMatch(
        /^connection lost: no answer from 10\.77\.60\.10:3300 for \d+(\.\d+)? s; /,
      );
      await alice.connection('lost', alice.received.indexOf(lost) + 1, 30_000);
      await docker('network', 'connect', '--ip', lab?.host('alice').ip ?? '', topology.network, alices);
      reconnected = true;
      connectedAt = Date.now();
    } finally {
      if (!reconnected) await docker('network', 'connect', topology.network, alices).catch(() => undefined);
    }
    const back = await alice.connection('reconnected', mark, 90_000);
    figures.push(
      `network cut: back ${((Date.now() - connectedAt) / 1000).toFixed(1)} s after docker network connect`,
    );
    expect(back.notes).toEqual([
      'logged in again as alice',
      'back in general, 2 message(s) missed meanwhile',
    ]);
    for (const text of ['said while alice was away, one', 'said while alice was away, two']) {
      await alice.event('MSG', (m) => m.text === text && m.replayed === true, mark);
    }
    const after = bob.since();
    await alice.ok('back on the network');
    await bob.event('MSG', (m) => m.text === 'back on the network', after);
  }, 180_000);
});

describe('the disk of the file store full', () => {
  it('refuses what does not fit with 507 STORAGE_FULL, stores nothing broken, and takes smaller files later', async () => {
    if (!lab) throw new Error('no lab');
    await diskFullCase(lab, topology);
  }, 180_000);
});

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { encodeData, encodeRequest } from '../protocol/index.js';
import type { RawConnection } from '../../test/support/server-fixture.js';
import { refusal, ServerFixture } from '../../test/support/server-fixture.js';

// Issue 7's named attacks that the other server tests do not already show (lab-bugs.test.ts has the seeds'
// bugs: split UTF-8, one idle handshake, the reader that never reads, HTTP traversal; files.test.ts and
// accounts.test.ts the rest). Each one: the attacker gets its refusal, nothing is stored, others go on.

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

let fixture: ServerFixture;
beforeEach(async () => {
  fixture = await ServerFixture.start({ loginTimeoutMs: 1500, requestsPerSecond: 1000, requestBurst: 1000 });
});
afterEach(async () => {
  await fixture.stop();
});

/** A bare connection logged in as an existing user (registered through `fixture.user` and quit). */
async function rawLogin(name: string): Promise<RawConnection> {
  const raw = await fixture.raw();
  raw.write(encodeRequest(1, 'LOGIN', `${name} ${name}-pw1`));
  await raw.until('1 200 OK');
  return raw;
}

async function registered(...names: string[]): Promise<void> {
  for (const name of names) await (await fixture.user(name)).quit();
}

/** Starts an upload on a raw connection; resolves with its transfer number. */
async function startUpload(raw: RawConnection, tag: number, bytes: Buffer): Promise<number> {
  raw.write(encodeRequest(tag, 'UPLOAD', `@alice ${bytes.length} ${sha(bytes)} f.bin`));
  await raw.until(new RegExp(`${tag} 100 Continue \\{"transfer":\\d+`));
  return Number(new RegExp(`${tag} 100 Continue \\{"transfer":(\\d+)`).exec(raw.received)?.[1]);
}

const partials = (): string[] => readdirSync(join(fixture.dataDir, 'files', 'partial'));
const stored = (): string[] => readdirSync(join(fixture.dataDir, 'files')).filter((n) => n !== 'partial');

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; !check(); i++) {
    if (i > 600) throw new Error(`waited 3 s for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('declared sizes that lie', () => {
  it('a DATA header announcing more bytes than follow, then a close: nothing is stored, others go on', async () => {
    await registered('alice');
    const raw = await rawLogin('alice');
    const bytes = randomBytes(100_000);
    const transfer = await startUpload(raw, 2, bytes);
    raw.write(Buffer.concat([Buffer.from(`DATA ${transfer} 0 65536\n`), bytes.subarray(0, 1000)]));
    await until('the partial upload on disk', () => partials().length === 1);
    raw.socket.destroy();
    await until('the partial upload to go', () => partials().length === 0);
    expect(stored()).toEqual([]);
    const bob = await fixture.user('bob');
    expect(await bob.call('PING')).toHaveProperty('time');
    const alice = await fixture.login('alice');
    expect((await alice.call('FILES')).files).toEqual([]);
  });

  it('an upload whose data frames go past the announced size gets BAD_SIZE; the connection goes on', async () => {
    await registered('alice');
    const raw = await rawLogin('alice');
    const bytes = randomBytes(100);
    const transfer = await startUpload(raw, 2, bytes);
    raw.write(encodeData(transfer, 0, Buffer.concat([bytes, randomBytes(100)])));
    await raw.until(/2 400 Bad Request \{"code":"BAD_SIZE"/);
    raw.write(encodeRequest(3, 'PING'));
    await raw.until('3 200 OK');
    // A partial file whose open was still on its way when the upload was refused goes once it has opened.
    await until('the partial upload to go', () => partials().length === 0);
    expect(stored()).toEqual([]);
  });

  it("a DATA frame for someone else's transfer gets 404, and that upload completes with its own bytes", async () => {
    await registered('alice', 'eve');
    const alice = await rawLogin('alice');
    const eve = await rawLogin('eve');
    const bytes = randomBytes(70_000);
    const transfer = await startUpload(alice, 2, bytes);
    eve.write(encodeData(transfer, 0, randomBytes(65536)));
    await eve.until(/- 404 Not Found \{"code":"NO_SUCH_TRANSFER"/);
    alice.write(encodeData(transfer, 0, bytes.subarray(0, 65536)));
    alice.write(encodeData(transfer, 65536, bytes.subarray(65536)));
    await alice.until(`2 201 Created {"file":{"id":1,"name":"f.bin","size":70000,"sha256":"${sha(bytes)}"`);
    const bob = await fixture.user('bob');
    expect(await refusal(bob.call('DOWNLOAD', '1'))).toMatchObject({ status: 404, code: 'NO_SUCH_FILE' });
    expect(eve.closed).toBe(false);
  });

  it('a data frame over 64 KiB closes the connection with BYE FRAME_TOO_LARGE, and only that one', async () => {
    const bob = await fixture.user('bob');
    const raw = await fixture.raw();
    raw.write(`DATA 1 0 70000\n${'x'.repeat(100)}`);
    await raw.untilClosed();
    expect(raw.received).toContain('* BYE {"code":"FRAME_TOO_LARGE"');
    expect(await bob.call('PING')).toHaveProperty('time');
  });
});

describe('text that is not what it claims', () => {
  it('answers invalid UTF-8 (bad bytes, overlong, surrogate, cut by the line end) with BAD_ENCODING', async () => {
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    await alice.call('CREATE', 'r');
    await bob.call('JOIN', 'r');
    await alice.quit();
    const raw = await rawLogin('alice');
    for (const bad of [
      [0xff, 0xfe],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf0, 0x9f],
    ]) {
      raw.write(Buffer.concat([Buffer.from('2 SAY r abc '), Buffer.from(bad), Buffer.from('\n')]));
    }
    raw.write('3 SAY r still here\n');
    await raw.until('3 200 OK');
    expect(raw.received.match(/\n2 400 Bad Request \{"code":"BAD_ENCODING"/g)).toHaveLength(4);
    expect((await bob.waitForEvent('MSG')).body.text).toBe('still here');
  });

  it('puts a four-byte character sent one byte a segment back together', async () => {
    await registered('alice');
    const raw = await rawLogin('alice');
    const line = Buffer.from('2 NAME Ana 🦜\n');
    for (const byte of line) {
      raw.write(Buffer.of(byte));
      await new Promise((r) => setTimeout(r, 1));
    }
    await raw.until('2 200 OK {"user":{"name":"alice","display":"Ana 🦜"');
  });
});

describe('slowloris', () => {
  it('closes handshakes trickled byte by byte at the login timeout, while others log in', async () => {
    const trickling = await Promise.all(Array.from({ length: 40 }, () => fixture.raw()));
    const state = { stop: false };
    const trickle = (async () => {
      for (let i = 0; !state.stop; i++) {
        for (const raw of trickling) if (!raw.closed) raw.write('LOGIN alice x'.charAt(i % 13));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const names = ['ann', 'ben', 'cid', 'dan', 'eva'];
    const clients = await Promise.all(names.map((name) => fixture.user(name)));
    expect(clients.every((c) => c.isOpen)).toBe(true);
    for (const raw of trickling) await raw.untilClosed();
    state.stop = true;
    await trickle;
    for (const raw of trickling) expect(raw.received).toContain('* BYE {"code":"LOGIN_TIMEOUT"');
    expect(await clients[0]?.call('USERS', 'online')).toMatchObject({
      users: names.map((name) => ({ name })),
    });
  });

  it('answers an HTTP request line that never ends with 408 at the login timeout, and closes', async () => {
    const raw = await fixture.raw();
    raw.write('GET /status.json HT');
    await raw.untilClosed();
    expect(raw.received.startsWith('HTTP/1.1 408 Request Timeout')).toBe(true);
  });
});

describe('path traversal', () => {
  it('keeps any file name a label, and refuses control characters in one', async () => {
    const alice = await fixture.user('alice');
    const names = ['/etc/passwd', '..\\..\\windows\\win.ini', 'a/../../../b', '~/.ssh/id_rsa'];
    for (const name of names) await alice.upload('@alice', Buffer.from(name), name);
    expect(stored().sort()).toEqual(['1', '2', '3', '4']);
    const listed = (await alice.call('FILES')).files as { name: string }[];
    expect(listed.map((f) => f.name)).toEqual([
      '_etc_passwd',
      '.._.._windows_win.ini',
      'a_.._.._.._b',
      '~_.ssh_id_rsa',
    ]);
    const reply = await alice.request('UPLOAD', `@alice 1 ${sha(Buffer.from('x'))} a\u0007b`);
    expect(reply).toMatchObject({ code: 400, body: { code: 'BAD_FILE_NAME' } });
  });

  it('serves no file of the data folder over HTTP, whatever the path', async () => {
    const alice = await fixture.user('alice');
    await alice.upload('@alice', Buffer.from('stored file one'), 'one.txt');
    const paths = [
      '/chatlab.db',
      '/files/1',
      '/../chatlab.db',
      '/%2e%2e%2fchatlab.db',
      '/..\\chatlab.db',
      '/./files/1',
    ];
    for (const path of paths) {
      const raw = await fixture.raw();
      raw.write(`GET ${path} HTTP/1.0\r\n\r\n`);
      await raw.untilClosed();
      expect(raw.received.startsWith('HTTP/1.1 404 Not Found')).toBe(true);
      expect(raw.received).not.toMatch(/SQLite format|stored file one/);
    }
  });
});

describe('password guessing', () => {
  it('answers an unknown name and a wrong password with the same bytes, then limits guessing alike', async () => {
    await registered('dave');
    const raw = await fixture.raw();
    const answers: string[] = [];
    for (const [tag, login] of [
      [1, 'dave wrong-pw'],
      [2, 'nobody wrong-pw'],
      [3, 'dave@example.org wrong-pw'],
      [4, 'nobody@example.org wrong-pw'],
      [5, 'dave wrong-pw'],
      [6, 'dave dave-pw1'], // five failures from this address: now even the right password waits
      [7, 'nobody wrong-pw'],
    ] as const) {
      raw.write(encodeRequest(tag, 'LOGIN', login));
      await raw.until(new RegExp(`\\n${tag} [^\\n]*\\n`));
      answers.push(new RegExp(`\\n${tag} ([^\\n]*)\\n`).exec(raw.received)?.[1] ?? '');
    }
    const refused = '401 Unauthorized {"code":"BAD_CREDENTIALS","message":"wrong name or password"}';
    expect(answers.slice(0, 5)).toEqual(Array(5).fill(refused));
    const limited = answers.slice(5).map((a) => a.replace(/\d+/g, 'N'));
    expect(limited).toEqual(Array(2).fill(limited[0]));
    expect(limited[0]).toMatch(/^N Too Many Requests \{"code":"TOO_MANY_ATTEMPTS"/);
  });
});

describe('acting without the right to', () => {
  it('refuses an outsider SAY, MEMBERS, HISTORY, UPLOAD, FILES and DOWNLOAD for a room', async () => {
    const alice = await fixture.user('alice');
    const eve = await fixture.user('eve');
    await alice.call('CREATE', 'r');
    await alice.call('SAY', 'r secret plans');
    const { file } = await alice.upload('#r', Buffer.from('room only'), 'plans.txt');
    const notMember = { status: 403, code: 'NOT_A_MEMBER' };
    expect(await refusal(eve.call('SAY', 'r hello'))).toMatchObject(notMember);
    expect(await refusal(eve.call('MEMBERS', 'r'))).toMatchObject(notMember);
    expect(await refusal(eve.call('HISTORY', '#r'))).toMatchObject(notMember);
    expect(await refusal(eve.call('FILES', '#r'))).toMatchObject(notMember);
    expect(await refusal(eve.upload('#r', Buffer.from('x'), 'x.txt'))).toMatchObject(notMember);
    expect(await refusal(eve.call('DOWNLOAD', String(file.id)))).toMatchObject({
      status: 404,
      code: 'NO_SUCH_FILE',
    });
    expect(partials()).toEqual([]);
  });

  it("refuses a non-owner's DELETE, INVITE and HANDOVER, and a room's file once its member has left", async () => {
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    const eve = await fixture.user('eve');
    await alice.call('CREATE', 'r');
    await bob.call('JOIN', 'r');
    const { file } = await alice.upload('#r', Buffer.from('for members'), 'm.txt');
    expect((await bob.download(file.id)).data.toString()).toBe('for members');
    const notOwner = { status: 403, code: 'NOT_OWNER' };
    for (const [verb, args] of [
      ['DELETE', 'r'],
      ['DELETE', 'r force'],
      ['INVITE', 'r eve'],
      ['HANDOVER', 'r eve'],
    ] as const) {
      expect(await refusal(eve.call(verb, args))).toMatchObject(notOwner);
      expect(await refusal(bob.call(verb, args))).toMatchObject(notOwner);
    }
    await bob.call('LEAVE', 'r');
    expect(await refusal(bob.call('DOWNLOAD', String(file.id)))).toMatchObject({
      status: 404,
      code: 'NO_SUCH_FILE',
    });
    expect((await alice.call('ROOMS')).rooms).toMatchObject([{ name: 'r', owner: 'alice', members: 1 }]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeData, encodeRequest, FrameDecoder, LIMITS } from '../protocol/index.js';
import type { RawConnection } from '../../test/support/server-fixture.js';
import { refusal, ServerFixture } from '../../test/support/server-fixture.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;

let fixture: ServerFixture;
beforeEach(async () => {
  fixture = await ServerFixture.start({ maxFileSize: 4 * MiB });
});
afterEach(async () => {
  await fixture.stop();
});

describe('file transfer', () => {
  it('moves a 1 MiB file to a room and a 0-byte file to a user, hashes equal end to end', async () => {
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    await alice.call('CREATE', 'share');
    await bob.call('JOIN', 'share');
    const big = randomBytes(MiB);
    const { file } = await alice.upload('#share', big, 'photo.bin');
    expect(file).toMatchObject({
      name: 'photo.bin',
      size: MiB,
      sha256: sha(big),
      from: 'alice',
      to: '#share',
    });
    const offer = await bob.waitForEvent('FILE');
    expect(offer.body).toEqual({ file });
    const got = await bob.download(file.id);
    expect(sha(got.data)).toBe(sha(big));
    expect(got.data.equals(big)).toBe(true);

    const empty = Buffer.alloc(0);
    const sent = await alice.upload('@bob', empty, 'empty.txt');
    expect(sent.file).toMatchObject({ size: 0, sha256: sha(empty), to: 'bob' });
    const offered = await bob.waitForEvent('FILE');
    const fetched = await bob.download((offered.body.file as { id: number }).id);
    expect(fetched.data.length).toBe(0);
  });

  it('keeps chat flowing while a file is in transit, with nothing interleaved inside a frame', async () => {
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    await alice.call('CREATE', 'busy');
    await bob.call('JOIN', 'busy');
    const big = randomBytes(3 * MiB);
    const upload = alice.upload('#busy', big, 'big.bin');
    const said = await Promise.all(
      [1, 2, 3].map((i) => alice.call('SAY', `busy message ${i} during upload`)),
    );
    expect(said).toHaveLength(3);
    const { file } = await upload;
    const download = bob.download(file.id);
    await alice.call('SAY', 'busy message 4 during download');
    const got = await download;
    expect(got.data.equals(big)).toBe(true);
    const texts = [];
    for (let i = 0; i < 4; i++) texts.push((await bob.waitForEvent('MSG')).body.text);
    expect(texts).toEqual([1, 2, 3, 4].map((i) => `message ${i} during ${i < 4 ? 'upload' : 'download'}`));
  });

  it('refuses files over the limit before any byte is sent, and bad hashes after', async () => {
    const alice = await fixture.user('alice');
    expect(await refusal(alice.call('UPLOAD', `@alice ${5 * MiB} ${'0'.repeat(64)} huge.bin`))).toMatchObject(
      {
        status: 413,
        code: 'FILE_TOO_LARGE',
      },
    );
    await alice.quit();
    const raw = await fixture.raw();
    raw.write('1 LOGIN alice alice-pw1\n');
    await raw.until('1 200 OK');
    raw.write(encodeRequest(2, 'UPLOAD', `@alice 4 ${'0'.repeat(64)} wrong.bin`));
    await raw.until('2 100 Continue {"transfer":');
    const transfer = Number(/"transfer":(\d+)/.exec(raw.received)?.[1]);
    raw.write(encodeData(transfer, 0, Buffer.from('abcd')));
    await raw.until(/2 400 Bad Request \{"code":"HASH_MISMATCH"/);
    expect(readdirSync(join(fixture.dataDir, 'files')).sort()).toEqual(['partial']);
  });

  it('stores files by id only: a traversal name stays a label', async () => {
    const alice = await fixture.user('alice');
    const bytes = Buffer.from('not a password file');
    const { file } = await alice.upload('@alice', bytes, '../../../etc/passwd');
    expect(file.name).toBe('.._.._.._etc_passwd');
    expect(readdirSync(join(fixture.dataDir, 'files')).sort()).toEqual([String(file.id), 'partial']);
  });

  it('lets only those it was offered to download a file', async () => {
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    const eve = await fixture.user('eve');
    const { file } = await alice.upload('@bob', Buffer.from('for bob only'), 'note.txt');
    await bob.download(file.id);
    // A file not offered to eve and one that does not exist get the same answer, id aside.
    const notOffered = await refusal(eve.call('DOWNLOAD', String(file.id)));
    const missing = await refusal(eve.call('DOWNLOAD', '999'));
    expect(notOffered).toMatchObject({ status: 404, code: 'NO_SUCH_FILE' });
    expect(missing).toMatchObject({ status: 404, code: 'NO_SUCH_FILE' });
    expect(notOffered.message.replace(String(file.id), 'N')).toBe(missing.message.replace('999', 'N'));
    expect((await bob.call('FILES')).files).toMatchObject([{ id: file.id, name: 'note.txt' }]);
    expect((await eve.call('FILES')).files).toEqual([]);
  });

  it('throws away an upload cut short by a closed connection', async () => {
    const alice = await fixture.user('alice');
    await alice.call('CREATE', 'r');
    const bytes = randomBytes(200_000);
    await alice.quit(); // frees the session for the raw connection
    const raw = await fixture.raw();
    raw.write(encodeRequest(1, 'LOGIN', 'alice alice-pw1'));
    await raw.until('1 200 OK');
    raw.write(encodeRequest(2, 'UPLOAD', `#r ${bytes.length} ${sha(bytes)} cut.bin`));
    await raw.until('2 100 Continue');
    raw.write(encodeData(1, 0, bytes.subarray(0, 65536)));
    await new Promise((r) => setTimeout(r, 50));
    raw.socket.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const bob = await fixture.user('bob');
    await bob.call('JOIN', 'r');
    expect((await bob.call('FILES')).files).toEqual([]);
    expect(readdirSync(join(fixture.dataDir, 'files', 'partial'))).toEqual([]);
  });

  it('stores nothing for an uploader who left the room, or whose room was re-created, before the last byte', async () => {
    const bob = await fixture.user('bob');
    await (await fixture.user('alice')).quit();
    const raw = await fixture.raw();
    const bytes = Buffer.from('hello');
    raw.write(`1 LOGIN alice alice-pw1\n2 CREATE r\n`);
    await raw.until('2 201');
    await bob.call('JOIN', 'r');
    raw.write(`3 HANDOVER r bob\n4 UPLOAD #r 5 ${sha(bytes)} left.txt\n`);
    await raw.until('4 100 Continue');
    let transfer = /4 100 Continue \{"transfer":(\d+)/.exec(raw.received)?.[1] ?? '?';
    raw.write(`5 LEAVE r\nDATA ${transfer} 0 5\nhello`);
    await raw.until(/\n4 403 Forbidden \{"code":"NOT_A_MEMBER"/);

    raw.write(`6 CREATE s\n7 UPLOAD #s 5 ${sha(bytes)} gone.txt\n`);
    await raw.until('7 100 Continue');
    transfer = /7 100 Continue \{"transfer":(\d+)/.exec(raw.received)?.[1] ?? '?';
    raw.write('8 DELETE s\n');
    await raw.until('8 200');
    await bob.call('CREATE', 's'); // same name, new room: the upload must not land there
    raw.write(`DATA ${transfer} 0 5\nhello`);
    await raw.until(/\n7 404 Not Found \{"code":"NO_SUCH_ROOM"/);
    expect((await bob.call('FILES')).files).toEqual([]);
    expect(bob.events.filter((e) => e.event === 'FILE')).toEqual([]);
  });
});

describe('downloads read from the disk into one buffer, reused', () => {
  it('a client that stops reading for a while still gets every byte, whole and in order', async () => {
    // More than the kernel's buffers on 127.0.0.1 hold, so that bytes wait in the server's socket.
    await fixture.stop();
    fixture = await ServerFixture.start({ maxFileSize: 40 * MiB });
    const alice = await fixture.user('alice');
    await (await fixture.user('bob')).quit();
    const big = randomBytes(24 * MiB + 12_345);
    const { file } = await alice.upload('@bob', big, 'big.bin');
    const raw = await fixture.raw();
    const decoder = new FrameDecoder({ maxLine: LIMITS.serverLine });
    const parts: Buffer[] = [];
    let received = 0;
    const offsets: number[] = [];
    raw.socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (frame.kind !== 'data') continue;
        offsets.push(frame.offset - received);
        parts.push(Buffer.from(frame.data));
        received += frame.data.length;
      }
    });
    raw.write('1 LOGIN bob bob-pw1\n');
    await raw.until('1 200 OK');
    raw.socket.pause();
    raw.write(`2 DOWNLOAD ${file.id}\n`);
    // The kernel's buffers fill and the server waits: the bytes it wrote must not change under the socket.
    await new Promise((r) => setTimeout(r, 300));
    raw.socket.resume();
    for (let waited = 0; received < big.length && waited < 10_000; waited += 20)
      await new Promise((r) => setTimeout(r, 20));
    expect(offsets.every((gap) => gap === 0)).toBe(true);
    expect(Buffer.concat(parts).equals(big)).toBe(true);
  });

  it('a stored file shorter than recorded ends the download with * BYE INTERNAL, not a wait for ever', async () => {
    const alice = await fixture.user('alice');
    await (await fixture.user('bob')).quit();
    const { file } = await alice.upload('@bob', randomBytes(MiB), 'cut.bin');
    truncateSync(join(fixture.dataDir, 'files', String(file.id)), 100_000);
    const raw = await fixture.raw();
    raw.write(`1 LOGIN bob bob-pw1\n2 DOWNLOAD ${file.id}\n`);
    await raw.until(
      /\* BYE \{"code":"INTERNAL","message":"reading file \d+ failed: the file ends at 100000 bytes/,
    );
  });

  it('a stored file changed on disk after its upload is refused by the downloader (the digest stored at upload)', async () => {
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    const bytes = randomBytes(200_000);
    const { file } = await alice.upload('@bob', bytes, 'changed.bin');
    const changed = Buffer.from(bytes);
    changed[123_456] = (changed[123_456] ?? 0) ^ 1;
    writeFileSync(join(fixture.dataDir, 'files', String(file.id)), changed);
    await expect(bob.download(file.id)).rejects.toMatchObject({ code: 'CLIENT_TRANSFER_MISMATCH' });
    expect((await bob.call('FILES')).files).toMatchObject([{ id: file.id, sha256: sha(bytes) }]);
  });
});

describe('the digest after the bytes (UPLOAD ... -, then DIGEST)', () => {
  /** alice logged in on a raw connection, with bob's account made; `2 UPLOAD` opened, its transfer returned. */
  async function uploading(bytes: Buffer, digest = '-'): Promise<{ raw: RawConnection; transfer: number }> {
    await (await fixture.user('bob')).quit();
    const raw = await fixture.raw();
    raw.write('1 LOGIN alice alice-pw1\n');
    await raw.until('1 200 OK');
    raw.write(encodeRequest(2, 'UPLOAD', `@bob ${bytes.length} ${digest} later.bin`));
    await raw.until('2 100 Continue {"transfer":');
    return { raw, transfer: Number(/"transfer":(\d+)/.exec(raw.received)?.[1]) };
  }

  it("stores the file once DIGEST matches, answered with the UPLOAD's tag; DIGEST's own tag gets nothing", async () => {
    await (await fixture.user('alice')).quit();
    const bytes = randomBytes(150_000);
    const { raw, transfer } = await uploading(bytes);
    for (let at = 0; at < bytes.length; at += 65536)
      raw.write(encodeData(transfer, at, bytes.subarray(at, at + 65536)));
    await new Promise((r) => setTimeout(r, 100));
    expect(raw.received).not.toMatch(/\n2 201/); // the bytes alone do not end it
    raw.write(encodeRequest(3, 'DIGEST', `${transfer} ${sha(bytes).toUpperCase()}`));
    raw.write('4 PING\n');
    await raw.until('4 200');
    expect(raw.received).toMatch(
      new RegExp(
        `\\n2 201 Created \\{"file":\\{"id":\\d+,"name":"later.bin","size":150000,"sha256":"${sha(bytes)}"`,
      ),
    );
    expect(raw.received).not.toMatch(/\n3 /);
    const bob = await fixture.login('bob');
    const [offered] = (await bob.call('FILES')).files as { id: number }[];
    expect((await bob.download(offered?.id ?? -1)).data.equals(bytes)).toBe(true);
  });

  it('a 0-byte file: 100, then DIGEST at once', async () => {
    await (await fixture.user('alice')).quit();
    const { raw, transfer } = await uploading(Buffer.alloc(0));
    raw.write(`DIGEST ${transfer} ${sha(Buffer.alloc(0))}\n`);
    await raw.until(/\n2 201 Created \{"file":\{"id":\d+,"name":"later.bin","size":0/);
  });

  it.each([
    [
      'a wrong digest',
      (b: Buffer) => sha(Buffer.concat([b, Buffer.from('x')])),
      'full',
      /2 400 Bad Request \{"code":"HASH_MISMATCH","message":"the bytes received hash to [0-9a-f]{64}, not [0-9a-f]{64}; nothing was stored"/,
    ],
    [
      'a digest that is not 64 hex digits',
      () => 'abc',
      'full',
      /2 400 Bad Request \{"code":"BAD_HASH","message":"<sha256> must be 64 hexadecimal digits; nothing was stored"/,
    ],
    [
      'a DIGEST before the last byte',
      sha,
      'half',
      /2 400 Bad Request \{"code":"BAD_SIZE","message":"DIGEST came after 5000 of the 10000 bytes the UPLOAD announced; nothing was stored"/,
    ],
  ])("%s ends the upload with the UPLOAD's tag, and nothing is stored", async (_, digestOf, sent, answer) => {
    await (await fixture.user('alice')).quit();
    const bytes = randomBytes(10_000);
    const { raw, transfer } = await uploading(bytes);
    raw.write(encodeData(transfer, 0, sent === 'full' ? bytes : bytes.subarray(0, 5000)));
    raw.write(`DIGEST ${transfer} ${digestOf(bytes)}\n`);
    await raw.until(answer);
    // The upload is over: its bytes and a second DIGEST go nowhere.
    raw.write(`3 DIGEST ${transfer} ${sha(bytes)}\n`);
    await raw.until(/3 404 Not Found \{"code":"NO_SUCH_TRANSFER"/);
    expect(readdirSync(join(fixture.dataDir, 'files', 'partial'))).toEqual([]);
    const bob = await fixture.login('bob');
    expect((await bob.call('FILES')).files).toEqual([]);
  });

  it('a DIGEST for no upload in progress gets 404 NO_SUCH_TRANSFER with its own tag, a digest given up front too', async () => {
    await (await fixture.user('alice')).quit();
    const bytes = Buffer.from('known up front');
    const { raw, transfer } = await uploading(bytes, sha(bytes));
    raw.write(encodeData(transfer, 0, bytes));
    await raw.until(/\n2 201 Created/);
    raw.write(`5 DIGEST ${transfer} ${sha(bytes)}\nDIGEST 999 ${sha(bytes)}\n`);
    await raw.until(
      `5 404 Not Found {"code":"NO_SUCH_TRANSFER","message":"no upload ${transfer} in progress on this connection;`,
    );
    await raw.until('- 404 Not Found {"code":"NO_SUCH_TRANSFER","message":"no upload 999 in progress');
  });
});

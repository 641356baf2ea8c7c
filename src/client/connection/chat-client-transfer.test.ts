import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ChatError, encodeData, encodeEvent } from '../../protocol/index.js';
import { ChatClient } from './chat-client.js';
import type { FakeConnection } from '../../../test/support/fake-server.js';
import { rejection, FakeServer } from '../../../test/support/fake-server.js';

let server: FakeServer;

beforeEach(async () => {
  server = await FakeServer.start();
});
afterEach(async () => {
  await server.close();
});

function open(): Promise<{ client: ChatClient; conn: FakeConnection }> {
  return server.open();
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
/** Bytes that contain LF, "DATA" and every byte value, so nothing can be mistaken for a frame. */
const fileOf = (size: number): Buffer => {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 7 + (i >> 8)) & 0xff;
  if (size > 16) out.write('\nDATA 1 0 5\n', 3);
  return out;
};

describe('upload', () => {
  it('announces the size, sends chunks of at most 64 KiB on 100, then their DIGEST, and chat keeps flowing', async () => {
    const { client, conn } = await open();
    const bytes = fileOf(200_000);
    const uploading = client.upload('#lab', bytes, 'notes of lab 1.bin');
    const upload = await conn.nextRequest('UPLOAD');
    expect(upload.args).toBe('#lab 200000 - notes of lab 1.bin');
    await conn.write(`${upload.tag} 100 Continue {"transfer":5,"chunk":65536}\n`);
    const saying = client.call('SAY', 'lab still chatting');

    const received: Buffer[] = [];
    const offsets: number[] = [];
    let sayTag: number | null = null;
    let digest: { tag: number | null; args: string } | undefined;
    while (digest === undefined || sayTag === null) {
      const frame = await conn.next();
      if (frame.kind === 'request' && frame.verb === 'DIGEST') {
        // Only once every byte has gone.
        expect(Buffer.concat(received).length).toBe(bytes.length);
        digest = frame;
        continue;
      }
      if (frame.kind === 'request') {
        expect(frame.verb).toBe('SAY');
        sayTag = frame.tag;
        await conn.write(`${sayTag} 200 OK {"id":1}\n`);
        continue;
      }
      expect(frame.transfer).toBe(5);
      expect(frame.data.length).toBeLessThanOrEqual(65536);
      offsets.push(frame.offset);
      received.push(frame.data);
    }
    expect(offsets).toEqual([0, 65536, 131072, 196608]);
    expect(Buffer.concat(received).equals(bytes)).toBe(true);
    expect(digest).toMatchObject({ tag: null, args: `5 ${sha256(bytes)}` });
    expect(await saying).toEqual({ id: 1 });

    const file = {
      id: 3,
      name: 'notes of lab 1.bin',
      size: 200_000,
      sha256: sha256(bytes),
      from: 'me',
      to: '#lab',
    };
    await conn.write(`${upload.tag} 201 Created ${JSON.stringify({ file })}\n`);
    expect(await uploading).toEqual({ file });
  });

  it('with the SHA-256 given, the UPLOAD line carries it and no DIGEST follows the bytes', async () => {
    const { client, conn } = await open();
    const bytes = fileOf(70_000);
    const uploading = client.upload('#lab', bytes, 'known.bin', { sha256: sha256(bytes) });
    const upload = await conn.nextRequest('UPLOAD');
    expect(upload.args).toBe(`#lab 70000 ${sha256(bytes)} known.bin`);
    await conn.write(`${upload.tag} 100 Continue {"transfer":6,"chunk":65536}\n`);
    const first = await conn.next();
    const second = await conn.next();
    expect([first, second].map((f) => (f.kind === 'data' ? f.offset : f.kind))).toEqual([0, 65536]);
    const file = { id: 5, name: 'known.bin', size: 70_000, sha256: sha256(bytes) };
    await conn.write(`${upload.tag} 201 Created ${JSON.stringify({ file })}\n`);
    expect((await uploading).file).toEqual(file);
    const ping = client.request('PING');
    expect(await conn.next()).toMatchObject({ kind: 'request', verb: 'PING' }); // not a DIGEST
    await conn.write(`3 200 OK\n`);
    await ping;
  });

  it('sends a 0-byte file with no data frame: its DIGEST follows the 100 at once', async () => {
    const { client, conn } = await open();
    const uploading = client.upload('@bob', Buffer.alloc(0), 'empty');
    const upload = await conn.nextRequest('UPLOAD');
    expect(upload.args).toBe('@bob 0 - empty');
    await conn.write(`${upload.tag} 100 Continue {"transfer":7,"chunk":65536}\n`);
    expect(await conn.next()).toMatchObject({
      kind: 'request',
      verb: 'DIGEST',
      args: `7 ${sha256(Buffer.alloc(0))}`,
    });
    const file = { id: 4, name: 'empty', size: 0, sha256: sha256(Buffer.alloc(0)) };
    await conn.write(`${upload.tag} 201 Created ${JSON.stringify({ file })}\n`);
    expect((await uploading).file).toEqual(file);
  });

  it('a source that fails while it is read fails the upload with its error and CANCELs the transfer', async () => {
    const { client, conn } = await open();
    const broken = {
      size: 3 * 65536,
      async *chunks() {
        yield fileOf(65536);
        await Promise.resolve();
        throw new Error('cannot read big.bin: input/output error');
      },
    };
    const uploading = rejection(client.upload('@bob', broken, 'big.bin'));
    const upload = await conn.nextRequest('UPLOAD');
    await conn.write(`${upload.tag} 100 Continue {"transfer":8,"chunk":65536}\n`);
    expect(await conn.next()).toMatchObject({ kind: 'data', transfer: 8, offset: 0 });
    expect(await conn.next()).toMatchObject({ kind: 'request', verb: 'CANCEL', args: '8' });
    expect((await uploading).message).toBe('cannot read big.bin: input/output error');
  });

  it('rejects a refusal with its ChatError and sends nothing', async () => {
    const { client, conn } = await open();
    const uploading = rejection(client.upload('#lab', fileOf(10), 'big'));
    const upload = await conn.nextRequest('UPLOAD');
    await conn.write(
      `${upload.tag} 413 Payload Too Large {"code":"FILE_TOO_LARGE","message":"at most 100 MiB"}\n`,
    );
    const error = await uploading;
    expect(error).toBeInstanceOf(ChatError);
    expect(error).toMatchObject({ status: 413, code: 'FILE_TOO_LARGE', message: 'at most 100 MiB' });
  });

  it('waits for the socket to drain when the server reads slowly, and delivers every byte', async () => {
    const { client, conn } = await open();
    const bytes = fileOf(8 * 1024 * 1024);
    const uploading = client.upload('#lab', bytes, 'big.bin');
    const upload = await conn.nextRequest('UPLOAD');
    conn.socket.pause();
    await conn.write(`${upload.tag} 100 Continue {"transfer":1}\n`);
    const ping = client.request('PING');
    conn.socket.resume();
    let total = 0;
    const hash = createHash('sha256');
    let pingTag: number | null = null;
    while (total < bytes.length || pingTag === null) {
      const frame = await conn.next();
      if (frame.kind === 'request') pingTag = frame.tag;
      else {
        expect(frame.offset).toBe(total);
        total += frame.data.length;
        hash.update(frame.data);
      }
    }
    expect(hash.digest('hex')).toBe(sha256(bytes));
    await conn.write(`${pingTag} 200 OK\n`);
    await ping;
    const file = { id: 1, name: 'big.bin', size: bytes.length, sha256: sha256(bytes) };
    await conn.write(`${upload.tag} 201 Created ${JSON.stringify({ file })}\n`);
    expect((await uploading).file.size).toBe(bytes.length);
  });
});

describe('download', () => {
  it('collects data frames that follow the reply in the same segment, with other frames between', async () => {
    const { client, conn } = await open();
    const bytes = fileOf(150_000);
    const file = { id: 9, name: 'a.bin', size: bytes.length, sha256: sha256(bytes) };
    const downloading = client.download(9);
    const ping = client.request('PING');
    const request = await conn.nextRequest('DOWNLOAD');
    expect(request.args).toBe('9');
    const stream = Buffer.concat([
      Buffer.from(`${request.tag} 200 OK ${JSON.stringify({ file, transfer: 2 })}\n`),
      encodeData(2, 0, bytes.subarray(0, 65536)),
      encodeEvent('MSG', { text: 'DATA 2 0 1' }),
      encodeData(7, 0, Buffer.from('not ours')),
      Buffer.from('3 200 OK\n'),
      encodeData(2, 65536, bytes.subarray(65536, 131072)),
      encodeData(2, 131072, bytes.subarray(131072)),
    ]);
    await conn.writeSplit(stream, [10, 65600, 65601, 131000]);
    const result = await downloading;
    expect(result.file).toEqual(file);
    expect(result.data.equals(bytes)).toBe(true);
    await ping;
    expect((await client.waitForEvent('MSG')).body.text).toBe('DATA 2 0 1');
  });

  it('reads no more while the spool is behind (a slow disk), then takes the rest', async () => {
    const { client, conn } = await open();
    const bytes = fileOf(64 * 65536);
    const file = { id: 4, name: 'big.bin', size: bytes.length, sha256: sha256(bytes) };
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const spooled: Buffer[] = [];
    const downloading = client.downloadTo(4, (piece) => {
      spooled.push(Buffer.from(piece));
      return spooled.length === 1 ? held : undefined; // the disk falls behind at the first frame
    });
    const request = await conn.nextRequest('DOWNLOAD');
    const frames: Buffer[] = [
      Buffer.from(`${request.tag} 200 OK ${JSON.stringify({ file, transfer: 3 })}\n`),
    ];
    for (let at = 0; at < bytes.length; at += 65536)
      frames.push(encodeData(3, at, bytes.subarray(at, at + 65536)));
    void conn.write(Buffer.concat(frames)); // 4 MiB: more than the sockets hold while nobody reads
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Only what one socket read brought was taken (the frames already decoded with the first one).
    const whileHeld = spooled.length;
    expect(whileHeld).toBeLessThan(16);
    release();
    const { file: got } = await downloading;
    expect(got).toEqual(file);
    expect(spooled.length).toBe(64);
    expect(Buffer.concat(spooled).equals(bytes)).toBe(true);
  });

  it('downloads a 0-byte file from the reply alone', async () => {
    const { client, conn } = await open();
    const downloading = client.download(1);
    const request = await conn.nextRequest('DOWNLOAD');
    const file = { id: 1, name: 'e', size: 0, sha256: sha256(Buffer.alloc(0)) };
    await conn.write(`${request.tag} 200 OK ${JSON.stringify({ file, transfer: 1 })}\n`);
    expect((await downloading).data.length).toBe(0);
  });

  it('rejects bytes whose SHA-256 is not the announced one', async () => {
    const { client, conn } = await open();
    const failing = rejection(client.download(2));
    const request = await conn.nextRequest('DOWNLOAD');
    const file = { id: 2, name: 'x', size: 4, sha256: sha256(Buffer.from('abcd')) };
    await conn.write(
      `${request.tag} 200 OK ${JSON.stringify({ file, transfer: 1 })}\n`,
      encodeData(1, 0, Buffer.from('abce')),
    );
    const error = await failing;
    expect(error).toMatchObject({ code: 'CLIENT_TRANSFER_MISMATCH' });
    expect(error.message).toBe(
      `download of file 2 (x) failed after 4 of 4 bytes: SHA-256 of the bytes received is ${sha256(Buffer.from('abce'))}, the server announced ${file.sha256}`,
    );
  });

  it('rejects data past the announced size, a refusal, and a close mid-transfer', async () => {
    const { client, conn } = await open();
    const tooLong = rejection(client.download(2));
    let request = await conn.nextRequest('DOWNLOAD');
    const file = { id: 2, name: 'x', size: 2, sha256: sha256(Buffer.from('ab')) };
    await conn.write(
      `${request.tag} 200 OK ${JSON.stringify({ file, transfer: 1 })}\n`,
      encodeData(1, 0, Buffer.from('abc')),
    );
    expect((await tooLong).message).toContain('data frames go past the announced size of 2 bytes');

    const refused = rejection(client.download(5));
    request = await conn.nextRequest('DOWNLOAD');
    await conn.write(`${request.tag} 403 Forbidden {"code":"NOT_OFFERED","message":"not offered to you"}\n`);
    expect(await refused).toMatchObject({ status: 403, code: 'NOT_OFFERED' });

    const cut = rejection(client.download(2));
    request = await conn.nextRequest('DOWNLOAD');
    await conn.write(
      `${request.tag} 200 OK ${JSON.stringify({ file, transfer: 3 })}\n`,
      encodeData(3, 0, Buffer.from('a')),
    );
    conn.socket.end();
    const error = await cut;
    expect(error).toMatchObject({ code: 'CLIENT_CLOSED' });
    expect(error.message).toMatch(
      /^download of file 2 \(x\) failed after 1 of 2 bytes: the connection to .* closed$/,
    );
  });
});

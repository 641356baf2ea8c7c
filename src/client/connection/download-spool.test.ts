import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DownloadSpool } from './download-spool.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'chatlab-spool-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a download spooled to disk', () => {
  it('keeps bytes joined in its reserved write buffers and bytes handed to it, in order', async () => {
    const spool = await DownloadSpool.open(dir);
    const data = randomBytes(5 * 1024 * 1024 + 99);
    const behind: Promise<void>[] = [];
    for (let at = 0, n = 0; at < data.length; at += 65536, n++) {
      const piece = data.subarray(at, at + 65536);
      const joined = n % 3 === 0 ? undefined : spool.reserve(piece.length);
      if (joined) piece.copy(joined);
      const wait = spool.write(joined ?? piece);
      if (wait) behind.push(wait);
    }
    // 5 MiB handed over at once is more than the 1 MiB it lets wait for the disk: it said so, until written.
    expect(behind.length).toBeGreaterThan(0);
    await Promise.all(behind);
    const where = path.join(dir, 'kept.bin');
    await spool.keep(where, true);
    expect((await readFile(where)).equals(data)).toBe(true);
    expect((await readdir(dir)).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('a discarded download leaves nothing, reserved buffers or not', async () => {
    const folder = path.join(dir, 'made', 'for', 'it');
    const spool = await DownloadSpool.open(folder);
    const joined = spool.reserve(10);
    expect(joined).toHaveLength(10);
    expect(spool.write(joined ?? Buffer.alloc(0))).toBeUndefined(); // 10 bytes: the disk is not behind
    await spool.discard();
    expect(await readdir(dir)).not.toContain('made');
  });
});

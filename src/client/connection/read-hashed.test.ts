import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileHashed } from './read-hashed.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'chatlab-read-hashed-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('reading a file to send, hashed in the same pass', () => {
  it.each([
    ['empty', 0],
    ['one byte', 1],
    ['under a chunk', 100_000],
    ['exactly one chunk', 2 * 1048576],
    ['several chunks and a bit', 5 * 1048576 + 17],
  ])('%s (%d bytes): the bytes and their SHA-256', async (_, size) => {
    const bytes = randomBytes(size);
    const file = path.join(dir, `f-${size}`);
    await writeFile(file, bytes);
    const read = await readFileHashed(file);
    expect(read.bytes.equals(bytes)).toBe(true);
    expect(read.sha256).toBe(sha256(bytes));
  });

  it('a missing file fails with ENOENT, as readFile did', async () => {
    await expect(readFileHashed(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a folder is refused', async () => {
    await expect(readFileHashed(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});

import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bytesSource, fileSource, READ_CHUNK } from './upload-source.js';
import type { UploadSource } from './upload-source.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'chatlab-upload-source-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function drain(
  source: UploadSource,
  each?: (chunk: Buffer, index: number) => Promise<void>,
): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of source.chunks()) {
    chunks.push(chunk);
    await each?.(chunk, chunks.length - 1);
  }
  return chunks;
}

describe('a file to send, read as it is sent', () => {
  it.each([
    ['one byte', 1],
    ['under a chunk', 100_000],
    ['exactly one chunk', READ_CHUNK],
    ['several chunks and a bit', 2 * READ_CHUNK + 17],
  ])('%s (%d bytes): its size first, then its bytes in chunks of at most READ_CHUNK', async (_, size) => {
    const bytes = randomBytes(size);
    const file = path.join(dir, `f-${size}`);
    await writeFile(file, bytes);
    const source = await fileSource(file);
    expect(source.size).toBe(size);
    const chunks = await drain(source);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(READ_CHUNK);
    expect(chunks).toHaveLength(Math.ceil(size / READ_CHUNK));
  });

  it('an empty file has size 0 and no chunk', async () => {
    const file = path.join(dir, 'empty');
    await writeFile(file, '');
    const source = await fileSource(file);
    expect(source.size).toBe(0);
    expect(await drain(source)).toEqual([]);
  });

  it('a missing file fails before anything is sent, with ENOENT', async () => {
    await expect(fileSource(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a folder is refused', async () => {
    await expect(fileSource(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('a file that is not a regular one (its size unknown up front) is read whole first', async () => {
    const source = await fileSource('/proc/self/status');
    const chunks = await drain(source);
    expect(source.size).toBeGreaterThan(0);
    expect(Buffer.concat(chunks).length).toBe(source.size);
    expect(Buffer.concat(chunks).toString()).toMatch(/^Name:/);
  });

  it('a file that shrinks while it is sent fails, saying so', async () => {
    const file = path.join(dir, 'shrinks');
    await writeFile(file, randomBytes(3 * READ_CHUNK));
    const source = await fileSource(file);
    const failure = drain(source, async (_, index) => {
      if (index === 0) await truncate(file, READ_CHUNK + 5);
    });
    // The read after the first chunk was under way already: it may have got its bytes before the cut.
    await expect(failure).rejects.toThrow(
      new RegExp(
        `^${file} changed while it was being sent: it ended after (${READ_CHUNK + 5}|${2 * READ_CHUNK}) of the ${3 * READ_CHUNK} bytes announced; nothing was stored$`,
      ),
    );
  });

  it('a file that grows while it is sent fails, saying so', async () => {
    const file = path.join(dir, 'grows');
    await writeFile(file, randomBytes(2 * READ_CHUNK + 10)); // its last read starts after the first chunk
    const source = await fileSource(file);
    const failure = drain(source, async (_, index) => {
      if (index === 0) await appendFile(file, 'more');
    });
    await expect(failure).rejects.toThrow(
      `${file} changed while it was being sent: it has more than the ${2 * READ_CHUNK + 10} bytes announced; nothing was stored`,
    );
  });
});

describe('bytes in memory', () => {
  it('are handed out READ_CHUNK at a time, so hashing one never holds the first frame back long', async () => {
    const bytes = randomBytes(READ_CHUNK * 2 + 1);
    const chunks = await drain(bytesSource(bytes));
    expect(chunks.map((c) => c.length)).toEqual([READ_CHUNK, READ_CHUNK, 1]);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });
});

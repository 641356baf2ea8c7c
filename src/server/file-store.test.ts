import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { FileStore } from './file-store.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'chatlab-file-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('an upload joined in reserved write buffers', () => {
  it('is stored byte for byte with the SHA-256 of what arrived, in a few write buffers used again and again', async () => {
    const store = new FileStore(dir);
    const data = randomBytes(8 * MiB + 1000);
    const partial = store.begin(data.length);
    const blocks = new Set<ArrayBufferLike>();
    for (let offset = 0; offset < data.length; offset += 65536) {
      const piece = data.subarray(offset, offset + 65536);
      const joined = partial.reserve(piece.length);
      if (joined === undefined) throw new Error('no write buffer');
      blocks.add(joined.buffer);
      piece.copy(joined);
      if (!partial.write(offset, joined)) await partial.drained();
    }
    expect(await partial.finish()).toBe(sha(data));
    store.commit(partial, 1);
    expect(readFileSync(store.pathOf(1)).equals(data)).toBe(true);
    // Without reuse, 9 (1 MiB each); the disk takes each one's bytes before the next few are full.
    expect(blocks.size).toBeLessThanOrEqual(4);
  });

  it("frames in reserved buffers and frames in the socket's own mix in order; a discard leaves nothing", async () => {
    const store = new FileStore(dir);
    const data = randomBytes(3 * 65536);
    const partial = store.begin(data.length);
    const joined = partial.reserve(65536);
    data.subarray(0, 65536).copy(joined ?? Buffer.alloc(0));
    partial.write(0, joined ?? Buffer.alloc(0));
    partial.write(65536, data.subarray(65536, 2 * 65536));
    const last = partial.reserve(65536) ?? Buffer.alloc(0);
    data.subarray(2 * 65536).copy(last);
    partial.write(2 * 65536, last);
    expect(await partial.finish()).toBe(sha(data));
    expect(readFileSync(partial.path).equals(data)).toBe(true);

    const dropped = store.begin(10);
    expect(dropped.reserve(10)).toHaveLength(10);
    // Discarded before its file was even opened: the promise waits for the open and the removal.
    await dropped.discard();
    expect(existsSync(dropped.path)).toBe(false);
  });
});

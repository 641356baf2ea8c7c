import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';

/** Bytes read from the disk at a time: the next read (in libuv's thread pool) runs while this one is hashed. */
const READ_CHUNK = 2 * 1048576;

/**
 * Reads a whole file and computes its SHA-256 in the same pass (issue 14): the hash of each chunk runs while
 * the next chunk is read, instead of a read of the whole file and then a second pass over it to hash it.
 * `/send` needs both before its first byte goes: the `UPLOAD` line carries the digest (docs/PROTOCOL.md §4).
 */
export async function readFileHashed(file: string): Promise<{ bytes: Buffer; sha256: string }> {
  const handle = await open(file, 'r');
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size === 0) {
      // Not a regular file (a pipe, /proc: sizes it does not know), or empty: read it as it comes.
      const bytes = await readFile(handle);
      return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
    }
    const hash = createHash('sha256');
    let bytes = Buffer.allocUnsafe(stat.size);
    let filled = 0;
    let hashed = 0;
    for (;;) {
      if (filled === bytes.length) {
        // As much as stat said: done, unless the file grew meanwhile (then room for more, as readFile would).
        const probe = Buffer.allocUnsafe(65536);
        const { bytesRead } = await handle.read(probe, 0, probe.length, filled);
        if (bytesRead === 0) break;
        const grown = Buffer.allocUnsafe(bytes.length * 2 + bytesRead);
        bytes.copy(grown, 0, 0, filled);
        probe.copy(grown, filled, 0, bytesRead);
        bytes = grown;
        filled += bytesRead;
      }
      const reading = handle.read(bytes, filled, Math.min(READ_CHUNK, bytes.length - filled), filled);
      if (hashed < filled) hash.update(bytes.subarray(hashed, filled));
      hashed = filled;
      const { bytesRead } = await reading;
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    hash.update(bytes.subarray(hashed, filled));
    return { bytes: filled === bytes.length ? bytes : bytes.subarray(0, filled), sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

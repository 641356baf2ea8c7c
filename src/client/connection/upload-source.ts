import { constants } from 'node:fs';
import { access, open, readFile, stat } from 'node:fs/promises';

/**
 * What an upload sends: its size, which the `UPLOAD` line announces before any byte, and then its bytes, in order
 * (docs/PROTOCOL.md §4 "Files"). `chunks` throws when the bytes turn out not to be `size` of them.
 */
export interface UploadSource {
  readonly size: number;
  chunks(): AsyncIterable<Buffer> | Iterable<Buffer>;
}

/** Bytes read from the disk at a time, and hashed at a time: the next read runs while one is hashed and sent. */
export const READ_CHUNK = 2 * 1048576;

/** Bytes already in memory, handed out READ_CHUNK at a time (so hashing them never holds the first frame back). */
export function bytesSource(bytes: Buffer): UploadSource {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += READ_CHUNK) pieces.push(bytes.subarray(at, at + READ_CHUNK));
  return { size: bytes.length, chunks: () => pieces };
}

/**
 * A file on disk, read as it is sent (issue 14): its first bytes go out while the rest is still being read, and
 * no more than a few chunks of it are in memory at once. What cannot be opened or read fails here, before the
 * `UPLOAD`. A file that is not a regular one (a pipe, a file in /proc), whose size is only known once read, is
 * read whole first. A file that grows or shrinks while it is sent fails the upload.
 */
export async function fileSource(file: string): Promise<UploadSource> {
  const info = await stat(file);
  if (info.isDirectory()) throw Object.assign(new Error(`${file} is a folder`), { code: 'EISDIR' });
  if (!info.isFile() || info.size === 0) return bytesSource(await readFile(file));
  await access(file, constants.R_OK);
  return { size: info.size, chunks: () => readChunks(file, info.size) };
}

async function* readChunks(file: string, size: number): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r');
  const read = async (at: number): Promise<Buffer> => {
    // The last read asks for one byte past the size announced: a file that grew shows it there.
    const want = at + READ_CHUNK >= size ? size - at + 1 : READ_CHUNK;
    const buffer = Buffer.allocUnsafe(want);
    const { bytesRead } = await handle.read(buffer, 0, want, at);
    return buffer.subarray(0, bytesRead);
  };
  /** The read in flight, started before the chunk before it is handed out. */
  let next: Promise<Buffer> | undefined = read(0);
  try {
    let offset = 0;
    while (next) {
      const bytes = await next;
      next = undefined;
      if (bytes.length === 0) throw changed(file, `it ended after ${offset} of the ${size} bytes announced`);
      if (offset + bytes.length > size) throw changed(file, `it has more than the ${size} bytes announced`);
      offset += bytes.length;
      if (offset < size) next = read(offset);
      yield bytes;
    }
  } finally {
    // A read still in flight when the upload stopped: let it end before the file is closed.
    await next?.catch(() => undefined);
    await handle.close();
  }
}

function changed(file: string, how: string): Error {
  return new Error(`${file} changed while it was being sent: ${how}; nothing was stored`);
}

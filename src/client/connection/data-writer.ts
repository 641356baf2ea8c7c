import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { encodeRequest, writeDataFrame } from '../../protocol/index.js';
import type { UploadSource } from './upload-source.js';

/**
 * Bytes written and not yet taken by the socket (the kernel, or over UDP the pacer) past which the next frame
 * waits for 'drain'. The socket asks to wait after every 64 KiB frame (its buffer is 16 KiB) even when the
 * kernel took the frame at once; waiting only past a few frames keeps the kernel's buffer fed (issue 14).
 */
const WINDOW = 256 * 1024;

/**
 * Writes an upload's bytes as DATA frames of at most `chunk` bytes (docs/PROTOCOL.md §1 "Data"), as the source
 * hands them out, waiting for 'drain' whenever more than WINDOW bytes wait in the socket after a chunk, so a large
 * file never piles up in memory. All the frames of one chunk (READ_CHUNK, 2 MiB) are written corked, headers and
 * bytes together, and reach the kernel in one `writev`: written a frame at a time, each frame's last segment went
 * out short under TCP_NODELAY, and the upload took 1.2x as long in the lab (issue 14). Other requests written
 * meanwhile fall between frames, never inside one. `stop()` is asked between chunks: a final reply that ends the
 * upload early (a full disk) can still have up to a chunk's frames follow it, each answered with an untagged
 * `404 NO_SUCH_TRANSFER` that the client does not wait for. With `digest`, the bytes are hashed on their way and a
 * `DIGEST` line follows the last frame (the `UPLOAD` said `-` for its SHA-256, §4 "Files"). Stops early when
 * `stop()` says so or the socket is gone; rejects when the source does (a file that cannot be read).
 */
export async function writeUpload(
  socket: Writable,
  transfer: number,
  source: UploadSource,
  chunk: number,
  stop: () => boolean,
  digest: boolean,
): Promise<void> {
  const hash = digest ? createHash('sha256') : undefined;
  let offset = 0;
  for await (const bytes of source.chunks()) {
    hash?.update(bytes);
    if (stop() || socket.destroyed) return;
    // The chunk's frames go to the kernel in one write: one system call and one push of segments for the
    // chunk, not one for each frame, each ending in a short segment under TCP_NODELAY.
    socket.cork();
    for (let at = 0; at < bytes.length; at += chunk) {
      const frame = bytes.subarray(at, at + chunk);
      writeDataFrame(socket, transfer, offset, frame);
      offset += frame.length;
    }
    socket.uncork();
    if (socket.writableLength > WINDOW) await drained(socket);
  }
  if (hash && !stop() && !socket.destroyed)
    socket.write(encodeRequest(null, 'DIGEST', `${transfer} ${hash.digest('hex')}`));
}

function drained(socket: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done).off('close', done);
      resolve();
    };
    socket.on('drain', done).on('close', done);
  });
}

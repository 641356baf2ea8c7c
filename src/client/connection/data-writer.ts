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
 * hands them out, waiting for 'drain' whenever more than WINDOW bytes wait in the socket, so a large file never
 * piles up in memory. Each frame's header and bytes are written corked, together: other requests written
 * meanwhile fall between frames, never inside one. With `digest`, the bytes are hashed on their way and a
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
    for (let at = 0; at < bytes.length; at += chunk) {
      if (stop() || socket.destroyed) return;
      const frame = bytes.subarray(at, at + chunk);
      const ok = writeDataFrame(socket, transfer, offset, frame);
      offset += frame.length;
      if (!ok && socket.writableLength > WINDOW) await drained(socket);
    }
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

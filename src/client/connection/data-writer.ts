import type { Writable } from 'node:stream';
import { writeDataFrame } from '../../protocol/index.js';

/**
 * Bytes written and not yet taken by the socket (the kernel, or over UDP the pacer) past which the next frame
 * waits for 'drain'. The socket asks to wait after every 64 KiB frame (its buffer is 16 KiB) even when the
 * kernel took the frame at once; waiting only past a few frames keeps the kernel's buffer fed (issue 14).
 */
const WINDOW = 256 * 1024;

/**
 * Writes `bytes` as DATA frames of at most `chunk` bytes (docs/PROTOCOL.md §1 "Data"), waiting for 'drain'
 * whenever more than WINDOW bytes wait in the socket, so a large file never piles up in memory. Each frame's
 * header and bytes are written corked, together: other requests written meanwhile fall between frames, never
 * inside one. Stops early when `stop()` says so
 * or the socket is gone.
 */
export async function writeData(
  socket: Writable,
  transfer: number,
  bytes: Buffer,
  chunk: number,
  stop: () => boolean,
): Promise<void> {
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    if (stop() || socket.destroyed) return;
    const ok = writeDataFrame(socket, transfer, offset, bytes.subarray(offset, offset + chunk));
    if (!ok && socket.writableLength > WINDOW) await drained(socket);
  }
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
